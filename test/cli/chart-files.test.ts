/**
 * listChartFiles finds what `helm repo index` considers, in Go's order: names sorted by their UTF-8 bytes (where
 * JavaScript's `<` would put a character above U+FFFF before U+E000-U+FFFF), top level first, then one level of
 * sub-folders.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listChartFiles } from '../../lambda/cli/chart-files';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'chart-files-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const utf8Order = (a: string, b: string): number => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

describe('listChartFiles', () => {
  it("sorts names by their UTF-8 bytes, as Go's glob does", () => {
    const names = ['b-1.0.0.tgz', 'B-1.0.0.tgz', 'a-1.0.0.tgz', 'é-1.0.0.tgz', '\uffff-1.0.0.tgz', '😀-1.0.0.tgz'];
    for (const name of names) writeFileSync(join(dir, name), '');
    writeFileSync(join(dir, 'notes.txt'), '');
    const expected = [...names].sort(utf8Order);
    expect(expected.indexOf('😀-1.0.0.tgz')).toBeGreaterThan(expected.indexOf('\uffff-1.0.0.tgz')); // unlike `<`
    expect(listChartFiles(dir)).toEqual(expected);
  });

  it('lists one level of sub-folders after the top level, each sorted', () => {
    for (const sub of ['z', 'a', '😀', '\ue000']) {
      mkdirSync(join(dir, sub, 'deeper'), { recursive: true });
      writeFileSync(join(dir, sub, 'c-1.0.0.tgz'), '');
      writeFileSync(join(dir, sub, 'deeper', 'x-1.0.0.tgz'), '');
    }
    writeFileSync(join(dir, 'top-1.0.0.tgz'), '');
    expect(listChartFiles(dir)).toEqual([
      'top-1.0.0.tgz',
      'a/c-1.0.0.tgz',
      'z/c-1.0.0.tgz',
      '\ue000/c-1.0.0.tgz',
      '😀/c-1.0.0.tgz',
    ]);
  });
});
