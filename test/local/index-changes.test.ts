import { chartsInIndex, compareIndexes } from '../../lambda/local/index-changes';

const index = (entries: Array<[string, string, string, string]>) =>
  JSON.stringify({
    apiVersion: 'v1',
    entries: Object.fromEntries(
      entries.map(([name, version, digest, url]) => [name, [{ apiVersion: 'v2', name, version, digest, urls: [url] }]]),
    ),
  });

describe('index changes (what local mode prints as indexed / replaced / removed)', () => {
  it('compares two indexes by file, with urls decoded (+ percent-encoded in the index)', () => {
    const before = chartsInIndex(
      index([
        ['a', '1.0.0', 'd1', 'a-1.0.0.tgz'],
        ['b', '1.0.0', 'd2', 'b-1.0.0.tgz'],
      ]),
      'before',
    );
    const after = chartsInIndex(
      index([
        ['a', '1.0.0', 'd9', 'a-1.0.0.tgz'],
        ['c', '1.0.0+x', 'd3', 'c-1.0.0%2Bx.tgz'],
      ]),
      'after',
    );
    const changes = compareIndexes(before, after);
    expect(changes.added.map((c) => c.file)).toEqual(['c-1.0.0+x.tgz']);
    expect(changes.replaced.map((c) => `${c.name} ${c.version}`)).toEqual(['a 1.0.0']);
    expect(changes.removed.map((c) => c.file)).toEqual(['b-1.0.0.tgz']);
  });

  it('reads YAML indexes too, and treats text that is not an index as empty', () => {
    const yaml =
      'apiVersion: v1\nentries:\n  a:\n    - apiVersion: v2\n      name: a\n      version: 0.1.0\n      urls: [a-0.1.0.tgz]\n';
    expect([...chartsInIndex(yaml, 'yaml').keys()]).toEqual(['a-0.1.0.tgz']);
    expect(chartsInIndex('not: [an index', 'broken').size).toBe(0);
  });
});
