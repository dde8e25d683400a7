import { groupByRepository } from '../../lambda/indexer/batch';
import {
  fileNameOf,
  indexKeyOf,
  isAllowedRepository,
  isChartKey,
  normalizePrefix,
  parseAllowList,
  repositoryBaseUrl,
  repositoryPrefixOf,
} from '../../lambda/indexer/repository-prefix';

describe('repository of a key', () => {
  test.each([
    ['stable/nginx-1.0.0.tgz', 'stable/', 'nginx-1.0.0.tgz'],
    ['stable/myapp/x-1.0.0.tgz', 'stable/myapp/', 'x-1.0.0.tgz'],
    ['root-0.1.0.tgz', '', 'root-0.1.0.tgz'],
    ['a b/c+d-1.0.0+build.1.tgz', 'a b/', 'c+d-1.0.0+build.1.tgz'],
  ])('%s is %s + %s', (key, prefix, file) => {
    expect(repositoryPrefixOf(key)).toBe(prefix);
    expect(fileNameOf(key)).toBe(file);
  });

  test('only *.tgz are charts, as Helm globs them', () => {
    expect(isChartKey('stable/x-1.0.0.tgz')).toBe(true);
    for (const key of [
      'stable/x-1.0.0.tgz.prov',
      'stable/index.yaml',
      'stable/x-1.0.0.TGZ',
      'stable/.tgz',
      'stable/',
      'x.tar.gz',
    ]) {
      expect(isChartKey(key)).toBe(false);
    }
  });

  test('prefix normalization and index key', () => {
    expect(normalizePrefix('stable')).toBe('stable/');
    expect(normalizePrefix('/stable/')).toBe('stable/');
    expect(normalizePrefix('')).toBe('');
    expect(normalizePrefix('/')).toBe('');
    expect(indexKeyOf('stable/')).toBe('stable/index.yaml');
    expect(indexKeyOf('')).toBe('index.yaml');
  });

  test('allow-list: empty means all; a prefix covers its sub-folders', () => {
    expect(parseAllowList(undefined)).toBeUndefined();
    expect(parseAllowList(' , ')).toBeUndefined();
    const allow = parseAllowList('stable, incubator/');
    expect(allow).toEqual(['stable/', 'incubator/']);
    expect(isAllowedRepository('stable/', allow)).toBe(true);
    expect(isAllowedRepository('stable/myapp/', allow)).toBe(true);
    expect(isAllowedRepository('stablex/', allow)).toBe(false);
    expect(isAllowedRepository('', allow)).toBe(false);
    expect(isAllowedRepository('', undefined)).toBe(true);
  });

  test('absolute base url per repository, segments percent-encoded', () => {
    expect(repositoryBaseUrl(undefined, 'stable/')).toBeUndefined();
    expect(repositoryBaseUrl('https://charts.example.com', 'stable/my apps/')).toBe(
      'https://charts.example.com/stable/my%20apps',
    );
    expect(repositoryBaseUrl('https://charts.example.com/', '')).toBe('https://charts.example.com');
  });
});

describe('groupByRepository', () => {
  test('one group per bucket and folder, distinct keys, the messages that carried them', () => {
    const { groups, ignoredKeys } = groupByRepository(
      [
        {
          messageId: 'm1',
          hints: [
            { bucket: 'b', key: 'stable/a-1.0.0.tgz' },
            { bucket: 'b', key: 'stable/a-1.0.0.tgz.prov' },
          ],
        },
        {
          messageId: 'm2',
          hints: [
            { bucket: 'b', key: 'stable/a-1.0.0.tgz' },
            { bucket: 'b', key: 'stable/sub/c-1.0.0.tgz' },
          ],
        },
        { messageId: 'm3', hints: [{ bucket: 'other', key: 'stable/a-1.0.0.tgz' }] },
        { messageId: 'm4', hints: [] },
        { messageId: 'm5', hints: [{ bucket: 'b', key: 'private/x-1.0.0.tgz' }] },
      ],
      ['stable/'],
    );
    expect(ignoredKeys).toBe(2);
    expect(groups.map((g) => ({ ...g, messageIds: [...g.messageIds] }))).toEqual([
      { bucket: 'b', prefix: 'stable/', keys: ['stable/a-1.0.0.tgz'], messageIds: ['m1', 'm2'] },
      { bucket: 'b', prefix: 'stable/sub/', keys: ['stable/sub/c-1.0.0.tgz'], messageIds: ['m2'] },
      { bucket: 'other', prefix: 'stable/', keys: ['stable/a-1.0.0.tgz'], messageIds: ['m3'] },
    ]);
  });
});
