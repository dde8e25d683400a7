import { listPage } from '../../lambda/local/s3-bucket-operations';
import type { ObjectInfo } from '../../lambda/local/object-store';

const objects: ObjectInfo[] = [
  'a.tgz',
  'incubator/x.tgz',
  'stable/a.tgz',
  'stable/b.tgz',
  'stable/sub/c.tgz',
  'z/1',
  'z/2',
].map((key) => ({ key, size: 1, etag: 'e', lastModified: new Date(0) }));
const keys = (page: ReturnType<typeof listPage>) => [...page.contents.map((o) => o.key), ...page.commonPrefixes];

describe('listPage (ListObjects paging)', () => {
  it('rolls keys below the delimiter into common prefixes', () => {
    const page = listPage(objects, { prefix: '', delimiter: '/', after: '', maxKeys: 1000 });
    expect(keys(page)).toEqual(['a.tgz', 'incubator/', 'stable/', 'z/']);
    expect(page.truncated).toBe(false);
  });

  it('lists one folder', () => {
    const page = listPage(objects, { prefix: 'stable/', delimiter: '/', after: '', maxKeys: 1000 });
    expect(keys(page)).toEqual(['stable/a.tgz', 'stable/b.tgz', 'stable/sub/']);
  });

  it('pages through everything exactly once, common prefixes counting as items', () => {
    const seen: string[] = [];
    let after = '';
    for (let pages = 0; pages < 10; pages++) {
      const page = listPage(objects, { prefix: '', delimiter: '/', after, maxKeys: 1 });
      seen.push(...keys(page));
      if (!page.truncated) break;
      after = page.last as string;
    }
    expect(seen).toEqual(['a.tgz', 'incubator/', 'stable/', 'z/']);
  });

  it('pages a flat listing', () => {
    const first = listPage(objects, { prefix: '', delimiter: '', after: '', maxKeys: 4 });
    const second = listPage(objects, { prefix: '', delimiter: '', after: first.last as string, maxKeys: 4 });
    expect([...keys(first), ...keys(second)]).toEqual(objects.map((o) => o.key));
    expect([first.truncated, second.truncated]).toEqual([true, false]);
  });
});
