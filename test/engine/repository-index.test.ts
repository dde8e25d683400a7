/** RepositoryIndex: entries by file, Helm's ordering, and both serializations read back to the same index. */
import { load } from 'js-yaml';
import { chartVersion, RepositoryIndex, type ChartVersion } from '../../lambda/engine';

const created = new Date('2026-01-02T03:04:05.678Z');

function version(name: string, v: string, file = `${name}-${v}.tgz`, extra: Partial<ChartVersion> = {}): ChartVersion {
  return chartVersion(
    { metadata: { apiVersion: 'v2', name, version: v, ...extra }, digest: 'ab'.repeat(32), sizeBytes: 10 },
    { file, created },
  );
}

describe('chartVersion', () => {
  it('writes urls relative with + percent-encoded, created in Go time format', () => {
    const cv = version('app', '1.0.0+build.1');
    expect(cv.urls).toEqual(['app-1.0.0%2Bbuild.1.tgz']);
    expect(cv.created).toBe('2026-01-02T03:04:05.678Z');
    expect(cv.digest).toBe('ab'.repeat(32));
  });

  it('joins a base URL with exactly one slash', () => {
    const archive = { metadata: { apiVersion: 'v2', name: 'a', version: '1.0.0' }, digest: 'x', sizeBytes: 1 };
    expect(
      chartVersion(archive, { file: 'a-1.0.0.tgz', created, baseUrl: 'https://charts.example.com/stable/' }).urls,
    ).toEqual(['https://charts.example.com/stable/a-1.0.0.tgz']);
    expect(chartVersion(archive, { file: 'a-1.0.0.tgz', created: new Date('2026-01-02T03:04:05Z') }).created).toBe(
      '2026-01-02T03:04:05Z',
    );
  });
});

describe('RepositoryIndex', () => {
  it('sorts versions SemVer-descending, pre-releases below their release', () => {
    const index = RepositoryIndex.empty();
    for (const v of ['1.0.0', '1.10.0', '1.2.0', '1.10.0-rc.1', '0.9.0', '2.0.0-alpha']) index.add(version('app', v));
    expect(index.charts()[0][1].map((v) => v.version)).toEqual([
      '2.0.0-alpha',
      '1.10.0',
      '1.10.0-rc.1',
      '1.2.0',
      '1.0.0',
      '0.9.0',
    ]);
  });

  it('breaks SemVer ties deterministically (build metadata, then url)', () => {
    const a = RepositoryIndex.empty();
    const b = RepositoryIndex.empty();
    const versions = [
      version('app', '1.0.0+b'),
      version('app', '1.0.0+a'),
      version('app', '1.0.0', 'x.tgz'),
      version('app', '1.0.0', 'w.tgz'),
    ];
    for (const v of versions) a.add(v);
    for (const v of [...versions].reverse()) b.add(v);
    expect(a.toYaml(created)).toBe(b.toYaml(created));
  });

  it('identifies entries by file: adding the same file replaces, removeFile removes', () => {
    const index = RepositoryIndex.empty();
    index.add(version('app', '1.0.0', 'app.tgz'));
    index.add(version('other', '2.0.0', 'app.tgz'));
    expect(index.versionCount).toBe(1);
    expect(index.entryForFile('app.tgz')?.name).toBe('other');
    index.add(version('app', '1.0.0+x'));
    expect(index.files().sort()).toEqual(['app-1.0.0+x.tgz', 'app.tgz']);
    expect(index.removeFile('app.tgz')).toBe(true);
    expect(index.removeFile('app.tgz')).toBe(false);
    expect(index.charts().map(([name]) => name)).toEqual(['app']);
  });

  it('writes YAML that js-yaml reads as the same data as the JSON form', () => {
    const index = RepositoryIndex.empty();
    index.add(
      version('tricky', '1.0.0', 'tricky-1.0.0.tgz', {
        appVersion: '1.10',
        description: 'yes: no # not a comment\nsecond line\ttab',
        keywords: ['true', 'null', '0755', '1e3', '2021-01-02', 'a: b', '- x', '@at', '', ' padded '],
        annotations: { 'example.com/key': 'on', '1.0': '~', 'quote"s': "it's" },
        maintainers: [{ name: 'Zoë 🚀', email: 'z@example.com' }],
        dependencies: [{ name: 'redis', repository: '', 'import-values': [{ child: 'a', parent: 'b' }, 'data', 3] }],
      }),
    );
    const generated = new Date('2026-01-02T00:00:00Z');
    const fromYaml = load(index.toYaml(generated));
    const fromJson = JSON.parse(index.toJson(generated));
    expect(fromYaml).toEqual(fromJson);
    expect(fromJson.apiVersion).toBe('v1');
    expect(fromJson.generated).toBe('2026-01-02T00:00:00Z');
  });

  it('parses YAML and JSON back to the same entries', () => {
    const index = RepositoryIndex.empty();
    index.add(version('a', '1.0.0', 'a-1.0.0.tgz', { description: 'unicode ✓', deprecated: true, keywords: ['k'] }));
    index.add(
      version('b', '0.1.0-rc.1', 'b.tgz', {
        type: 'library',
        dependencies: [{ name: 'x', repository: 'https://r', alias: 'y' }],
      }),
    );
    const generated = new Date(0);
    const yaml = RepositoryIndex.parse(index.toYaml(generated), 'index.yaml');
    const json = RepositoryIndex.parse(index.toJson(generated), 'index.yaml');
    expect(yaml.charts()).toEqual(index.charts());
    expect(json.charts()).toEqual(index.charts());
    expect(yaml.skipped).toEqual([]);
  });

  it('reads an index as Helm does: numbers typed, apiVersion defaulted, invalid entries skipped with a reason', () => {
    const text = [
      'apiVersion: v1',
      'entries:',
      '  app:',
      '  - name: app',
      '    version: 1.0',
      '    appVersion: 1.10',
      '    urls: [app-1.0.tgz]',
      '    unknownField: dropped',
      '  - name: app',
      '    version: not-semver',
      '    urls: [bad.tgz]',
      '  - null',
      'generated: "2026-01-01T00:00:00Z"',
      '',
    ].join('\n');
    const index = RepositoryIndex.parse(text, 'stable/index.yaml');
    expect(index.versionCount).toBe(1);
    const entry = index.entryForFile('app-1.0.tgz');
    expect(entry).toMatchObject({ name: 'app', version: '1', appVersion: '1.1', apiVersion: 'v1' });
    expect(entry).not.toHaveProperty('unknownField');
    expect(index.skipped.map((s) => s.reason).sort()).toEqual([
      'empty entry',
      'validation: chart.metadata.version "not-semver" is invalid',
    ]);
  });

  it('refuses text that is not an index, naming the source', () => {
    expect(() => RepositoryIndex.parse('', 'stable/index.yaml')).toThrow(/stable\/index.yaml.*empty/);
    expect(() => RepositoryIndex.parse('entries: {}\n', 'stable/index.yaml')).toThrow(/no API version/);
    expect(() => RepositoryIndex.parse('- a\n', 'x')).toThrow(/x/);
  });

  it('maps urls to files: relative paths decoded, absolute urls by their last segment', () => {
    const index = RepositoryIndex.empty();
    index.add({ ...version('a', '1.0.0'), urls: ['https://cdn.example.com/stable/a-1.0.0%2Bb.tgz'] });
    index.add({ ...version('b', '1.0.0'), urls: ['sub/b-1.0.0.tgz'] });
    expect(index.files().sort()).toEqual(['a-1.0.0+b.tgz', 'sub/b-1.0.0.tgz']);
  });
});
