/**
 * Parity with the real `helm repo index` (v4): the same folder of charts (packaged by `helm package`, plus
 * archives whose Chart.yaml bytes matter) indexed by both; the indexes must be equal entry by entry, apart from
 * `created` (ours: the file's mtime) and `generated`. Urls are compared decoded: ours percent-encode `+` (S3
 * would read a bare `+` as a space), which names the same file.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { YAML11_SCHEMA, load } from 'js-yaml';
import { buildHelmCorpus, generateChartArchive } from '../support/chart-corpus';
import { runChartRepo } from '../support/chart-repo-cli';
import { helmBinary } from '../support/tools';

type Entry = Record<string, unknown>;
type Entries = Record<string, Entry[]>;

let root: string;
let repo: string;
let archiveCount: number;

function helm(...args: string[]): void {
  execFileSync(helmBinary(), args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

function parseIndex(text: string): { apiVersion: unknown; entries: Entries } {
  const doc = (text.trimStart().startsWith('{') ? JSON.parse(text) : load(text, { schema: YAML11_SCHEMA })) as {
    apiVersion: unknown;
    entries: Entries;
  };
  return doc;
}

/** Entries without `created` (unless kept), with decoded urls: what must match. */
function comparable(text: string, keepCreated = false): Entries {
  const { apiVersion, entries } = parseIndex(text);
  expect(apiVersion).toBe('v1');
  const out: Entries = {};
  for (const [name, versions] of Object.entries(entries)) {
    out[name] = versions.map((version) => {
      const { created, urls, ...rest } = version;
      const decoded = (urls as string[]).map((url) => decodeURIComponent(url));
      return keepCreated
        ? { ...rest, created: new Date(created as string).toISOString(), urls: decoded }
        : { ...rest, urls: decoded };
    });
  }
  return out;
}

/** Runs helm then chart-repo over `dir` with the same flags; returns both index.yaml texts. */
function indexBoth(
  dir: string,
  flags: string[] = [],
  beforeEach?: () => void,
): { helm: string; ours: string; stderr: string } {
  beforeEach?.();
  helm('repo', 'index', dir, ...flags);
  const helmText = readFileSync(join(dir, 'index.yaml'), 'utf8');
  beforeEach?.();
  const result = runChartRepo(['index', dir, ...flags]);
  expect(result).toMatchObject({ status: 0, stdout: '' });
  return { helm: helmText, ours: readFileSync(join(dir, 'index.yaml'), 'utf8'), stderr: result.stderr };
}

function countVersions(entries: Entries): number {
  return Object.values(entries).reduce((sum, versions) => sum + versions.length, 0);
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'chart-repo-parity-'));
  repo = join(root, 'repo');
  archiveCount = buildHelmCorpus(repo, join(root, 'work'));
}, 120_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('chart-repo index matches helm repo index', () => {
  it('builds a corpus of at least 40 charts with helm package', () => {
    expect(archiveCount).toBeGreaterThanOrEqual(40);
  });

  it('indexes the same charts with the same metadata, versions in the same order', () => {
    const { helm: helmText, ours, stderr } = indexBoth(repo);
    const expected = comparable(helmText);
    expect(countVersions(expected)).toBeGreaterThanOrEqual(60);
    expect(comparable(ours)).toEqual(expected);
    // Every archive helm left out is reported as skipped, with a reason, and nothing else is.
    const indexed = new Set(Object.values(expected).flatMap((versions) => versions.flatMap((v) => v.urls as string[])));
    const skipped = stderr.split('\n').filter((line) => line.startsWith('skipped '));
    expect(skipped).toHaveLength(archiveCount - indexed.size);
    expect(skipped.length).toBeGreaterThanOrEqual(4);
    for (const line of skipped) expect(line).toMatch(/^skipped \S.*\.tgz: .+; expected .+/);
  });

  it('writes YAML that helm reads back as the same index', () => {
    expect(runChartRepo(['index', repo]).status).toBe(0);
    const ours = readFileSync(join(repo, 'index.yaml'), 'utf8');
    const empty = join(root, 'readback');
    mkdirSync(empty, { recursive: true });
    writeFileSync(join(root, 'ours.yaml'), ours);
    helm('repo', 'index', empty, '--merge', join(root, 'ours.yaml'));
    const helmRead = readFileSync(join(empty, 'index.yaml'), 'utf8');
    // Reading through --merge, helm keeps one entry per version (the twin archives collapse to the first).
    const firstPerVersion = (entries: Entries): Entries =>
      Object.fromEntries(
        Object.entries(entries).map(([name, versions]) => [
          name,
          versions.filter((v, i) => versions.findIndex((w) => w.version === v.version) === i),
        ]),
      );
    expect(comparable(helmRead, true)).toEqual(firstPerVersion(comparable(ours, true)));
  });

  it.each([
    'https://charts.example.com/stable',
    'https://charts.example.com/stable/',
    'http://127.0.0.1:8080/a b/c+d?x=1',
    'relative/path',
  ])('builds the same urls with --url %s', (url) => {
    const { helm: helmText, ours } = indexBoth(repo, ['--url', url]);
    expect(comparable(helmText).twin).toHaveLength(2); // same file name in two folders: both kept
    expect(comparable(ours)).toEqual(comparable(helmText));
  });

  it('writes the same index as JSON with --json', () => {
    const { helm: helmText, ours } = indexBoth(repo, ['--json']);
    expect(() => JSON.parse(ours)).not.toThrow();
    expect(comparable(ours)).toEqual(comparable(helmText));
  });

  describe('--merge', () => {
    let existingYaml: string;
    let existingJson: string;
    let fresh: string;

    beforeAll(() => {
      // The existing index: helm's index of the corpus, with absolute urls and kept `created` times.
      const site = join(root, 'site');
      cpSync(repo, site, { recursive: true });
      helm('repo', 'index', site, '--url', 'https://charts.example.com');
      existingYaml = join(root, 'existing.yaml');
      cpSync(join(site, 'index.yaml'), existingYaml);
      helm('repo', 'index', site, '--url', 'https://charts.example.com', '--json');
      existingJson = join(root, 'existing.json');
      cpSync(join(site, 'index.yaml'), existingJson);
      // The new folder: a new version, a rebuilt archive of a version the index has (new digest: the folder
      // wins), and a version that differs from an indexed one only by build metadata (Helm treats it as equal).
      fresh = join(root, 'fresh');
      mkdirSync(fresh, { recursive: true });
      writeFileSync(join(fresh, 'many-3.0.0.tgz'), generateChartArchive({ name: 'many', version: '3.0.0' }));
      writeFileSync(join(fresh, 'many-1.2.0.tgz'), generateChartArchive({ name: 'many', version: '1.2.0' }));
      writeFileSync(
        join(fresh, 'minimal-1.0.0+rebuilt.tgz'),
        generateChartArchive({ name: 'minimal', version: '1.0.0+rebuilt' }),
      );
      writeFileSync(join(fresh, 'brand-new-0.1.0.tgz'), generateChartArchive({ name: 'brand-new', version: '0.1.0' }));
    });

    it.each([
      ['YAML into YAML', () => existingYaml, []],
      ['YAML into JSON', () => existingJson, []],
      ['JSON into YAML', () => existingYaml, ['--json']],
      // JSON merged into JSON takes the byte splice (json-index-splice), not the model path.
      ['JSON into JSON', () => existingJson, ['--json']],
    ])('merges %s as helm does: folder entries win, the rest is kept with its created time', (label, file, flags) => {
      const { helm: helmText, ours } = indexBoth(fresh, ['--merge', file(), ...(flags as string[])]);
      // The splice copies untouched charts as helm indented them, inside our compact document.
      if (label === 'JSON into JSON')
        expect(ours).toMatch(/^\{"apiVersion":"v1","generated":"[^"]+","entries":\{.*\[\n {6}\{\n/s);
      const expected = comparable(helmText);
      expect(expected.many.map((v) => v.version)).toContain('3.0.0');
      expect(expected.minimal).toHaveLength(1);
      // Two entries for one version in the existing index (twin, from two folders): Helm keeps the first only.
      expect(expected.twin).toHaveLength(1);
      expect(comparable(ours)).toEqual(expected);
      // Entries carried over from the existing index keep their `created` time, as in Helm.
      const carried = (text: string) => comparable(text, true)['full-metadata'];
      expect(carried(ours)).toEqual(carried(helmText));
    });

    it('creates a missing --merge file as an empty index, as helm does', () => {
      const missing = join(root, 'missing.yaml');
      const { helm: helmText, ours } = indexBoth(fresh, ['--merge', missing], () => rmSync(missing, { force: true }));
      expect(existsSync(missing)).toBe(true);
      expect(parseIndex(readFileSync(missing, 'utf8')).entries).toEqual({});
      expect(comparable(ours)).toEqual(comparable(helmText));
    });
  });

  it('indexes one level of sub-folders only, as helm globs them', () => {
    const deep = join(root, 'deep');
    mkdirSync(join(deep, 'a', 'b'), { recursive: true });
    const archive = (name: string) => generateChartArchive({ name, version: '1.0.0' });
    writeFileSync(join(deep, 'top-1.0.0.tgz'), archive('top'));
    writeFileSync(join(deep, 'a', 'one-1.0.0.tgz'), archive('one'));
    writeFileSync(join(deep, 'a', 'b', 'two-1.0.0.tgz'), archive('two'));
    writeFileSync(join(deep, '.hidden-1.0.0.tgz'), archive('hidden'));
    writeFileSync(join(deep, 'upper-1.0.0.TGZ'), archive('upper'));
    const { helm: helmText, ours } = indexBoth(deep);
    expect(Object.keys(comparable(helmText)).sort()).toEqual(['hidden', 'one', 'top']);
    expect(comparable(ours)).toEqual(comparable(helmText));
    expect(readdirSync(deep).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});
