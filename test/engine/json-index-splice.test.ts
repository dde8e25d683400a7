/**
 * The JSON merge splice (json-index-splice) against the model path it shortcuts: for each merge file, the
 * spliced output and mergeFrom(RepositoryIndex.parse(file)) + toJson must read back as the same index, and each
 * case pins whether the splice recognised the file or left it to the model path (undefined).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chartVersion, RepositoryIndex, type ChartVersion } from '../../lambda/engine';
import { FIELDS } from '../../lambda/engine/index-entry-fast';
import { CHART_PATTERNS, ENTRY_PATTERNS, VERSION_SPLIT } from '../../lambda/engine/json-entry-pattern';
import { spliceJsonMerge } from '../../lambda/engine/json-index-splice';
import { buildHelmCorpus } from '../support/chart-corpus';
import { helmBinary } from '../support/tools';

const generated = new Date('2026-03-04T05:06:07.089Z');
const created = new Date('2026-01-02T03:04:05.678Z');
type Entry = Record<string, unknown>;

function version(name: string, v: string, extra: Partial<ChartVersion> = {}, file = `${name}-${v}.tgz`): ChartVersion {
  return chartVersion(
    { metadata: { apiVersion: 'v2', name, version: v, ...extra }, digest: 'cd'.repeat(32), sizeBytes: 10 },
    { file, created },
  );
}

/**
 * The field order entries are written in: Helm's (Go's ChartVersion layout, also toJson's) and sorted keys are
 * matched by ENTRY_PATTERNS; any other order is left to the byte scanner. Every case runs in all three.
 */
type FieldOrder = 'helm' | 'sorted' | 'other';
let fieldOrder: FieldOrder = 'helm';
const HELM_ORDER = Object.keys(FIELDS);

function ordered(fields: Entry): Entry {
  const keys = Object.keys(fields).sort();
  if (fieldOrder === 'helm') keys.sort((a, b) => HELM_ORDER.indexOf(a) - HELM_ORDER.indexOf(b));
  if (fieldOrder === 'other') keys.reverse();
  return Object.fromEntries(keys.map((key) => [key, fields[key]]));
}

/** An index entry as written in a merge file, its fields in `fieldOrder`. */
function entry(name: string, v: string, extra: Entry = {}): Entry {
  return ordered({
    apiVersion: 'v2',
    created: '2025-01-01T00:00:00Z',
    digest: 'ab'.repeat(32),
    name,
    urls: [`https://charts.example.com/${name}-${v}.tgz`],
    version: v,
    ...extra,
  });
}

function document(entries: Record<string, unknown>, header: Entry = {}): Entry {
  return { apiVersion: 'v1', entries, generated: '2025-01-01T00:00:00Z', ...header };
}

const compact = (doc: unknown) => JSON.stringify(doc);
const indented = (doc: unknown) => JSON.stringify(doc, null, 2);

function dirIndex(versions: readonly ChartVersion[]): RepositoryIndex {
  const index = RepositoryIndex.empty();
  for (const v of versions) index.add(v);
  return index;
}

interface Outcome {
  /** The spliced output, or undefined when the splice left the file to the model path. */
  readonly spliced?: string;
  readonly splicedCount?: number;
  /** The model path's output, or the error it throws. */
  readonly model: string | Error;
  readonly modelCount?: number;
}

function merge(text: string | Buffer, dir: readonly ChartVersion[] = []): Outcome {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  const result = spliceJsonMerge(dirIndex(dir), bytes, 'merge.json', generated);
  let model: string | Error;
  let modelCount: number | undefined;
  try {
    const index = dirIndex(dir);
    index.mergeFrom(RepositoryIndex.parse(bytes.toString('utf8'), 'merge.json'));
    model = index.toJson(generated);
    modelCount = index.versionCount;
  } catch (error) {
    model = error as Error;
  }
  return {
    spliced: result && Buffer.concat(result.pieces).toString('utf8'),
    splicedCount: result?.versionCount,
    model,
    modelCount,
  };
}

/** Both outputs read back: the same header and the same charts, entry by entry, in the same order. */
function expectSameIndex(spliced: string, model: string): void {
  const a = RepositoryIndex.parse(spliced, 'spliced');
  const b = RepositoryIndex.parse(model, 'model');
  expect(a.skipped).toEqual([]);
  expect(b.skipped).toEqual([]);
  expect(a.charts()).toEqual(b.charts());
  // Header and layout-free content: re-serialized, the two are the same text.
  expect(a.toJson(generated)).toBe(b.toJson(generated));
  expect(JSON.parse(spliced).generated).toBe('2026-03-04T05:06:07.089Z');
}

/** The splice recognised the file and wrote what the model path writes. */
function expectSpliced(text: string | Buffer, dir: readonly ChartVersion[] = []): Outcome {
  const outcome = merge(text, dir);
  if (outcome.model instanceof Error) throw outcome.model;
  expect(outcome.spliced).toBeDefined();
  expectSameIndex(outcome.spliced as string, outcome.model);
  expect(outcome.splicedCount).toBe(outcome.modelCount);
  return outcome;
}

/** The splice left the file to the model path. */
function expectLeftToModel(text: string | Buffer, dir: readonly ChartVersion[] = []): Outcome {
  const outcome = merge(text, dir);
  expect(outcome.spliced).toBeUndefined();
  return outcome;
}

const names = (outcome: Outcome) => Object.keys(JSON.parse(outcome.spliced as string).entries as Entry);

describe.each<FieldOrder>(['helm', 'sorted', 'other'])('entry fields in %s order', (order) => {
  // Set while the cases are collected (tables, fixtures) and again before they run.
  fieldOrder = order;
  beforeAll(() => (fieldOrder = order));

  it('entries in this order are matched by an entry pattern (helm, sorted) or left to the byte scanner (other)', () => {
    const rich = entry('a', '1.0.0', {
      description: 'x "y" \u00e9',
      keywords: ['k'],
      maintainers: [{ name: 'm', email: 'e' }, {}],
      deprecated: true,
      type: 'application',
      annotations: { x: 'y' },
    });
    for (const text of [compact(rich), indented(rich)]) {
      const matched = ENTRY_PATTERNS.map(({ regex }) => {
        regex.lastIndex = 0;
        return regex.exec(Buffer.from(text).toString('latin1')) !== null;
      });
      expect(matched).toEqual(order === 'helm' ? [true, false] : order === 'sorted' ? [false, true] : [false, false]);
    }
  });

  it('chart patterns match a whole chart in this order (helm, sorted), and VERSION_SPLIT reads its versions', () => {
    const chart = [
      entry('app', '2.0.0', {
        keywords: ['version'],
        description: ',"version":"0.0.1"',
        annotations: { x: 'version' },
      }),
      entry('app', '1.0.0'),
    ];
    for (const text of [`"app":${compact(chart)}`, `"app": ${indented(chart)}`]) {
      const latin1 = Buffer.from(text).toString('latin1');
      const matched = CHART_PATTERNS.map((regex) => {
        regex.lastIndex = 0;
        return regex.test(latin1) && regex.lastIndex === latin1.length;
      });
      expect(matched).toEqual(order === 'helm' ? [true, false] : order === 'sorted' ? [false, true] : [false, false]);
      expect(latin1.split(VERSION_SPLIT).filter((_, i) => i % 2 === 1)).toEqual(['2.0.0', '1.0.0']);
    }
    // An annotation key "version" would read as a version: such a chart is left to the per-entry scan.
    const tricky = `"app":${compact([entry('app', '1.0.0', { annotations: { version: '9' } })])}`;
    const trickyMatched = CHART_PATTERNS.some((regex) => {
      regex.lastIndex = 0;
      return regex.test(tricky);
    });
    expect(trickyMatched).toBe(false);
    // A name that is not the chart's key, a type Helm does not know: not matched either.
    for (const extra of [{ name: 'other' }, { type: 'other' }]) {
      const text = `"app":${compact([ordered({ ...entry('app', '1.0.0'), ...extra })])}`;
      expect(
        CHART_PATTERNS.some((regex) => {
          regex.lastIndex = 0;
          return regex.test(text);
        }),
      ).toBe(false);
    }
  });

  describe('spliceJsonMerge recognises the usual shapes and writes what the model path writes', () => {
    const good = () => entry('a', '1.0.0');
    const base = document({
      alpha: [entry('alpha', '2.0.0'), entry('alpha', '1.0.0')],
      mid: [entry('mid', '0.3.0-rc.1', { type: 'library' })],
      zulu: [entry('zulu', '1.0.0', { deprecated: true, keywords: ['a', ''], home: 'https://x.example' })],
    });

    it.each([
      ['compact', compact],
      ['indented', indented],
    ])('%s JSON, new chart before, between and after the existing names', (_, format) => {
      for (const name of ['aaa', 'beta', 'zzz']) {
        const outcome = expectSpliced(format(base), [version(name, '1.0.0')]);
        expect(names(outcome)).toEqual(['alpha', 'mid', 'zulu', name].sort());
      }
    });

    it('copies untouched charts byte for byte (indentation kept), and re-serializes touched ones', () => {
      const text = indented(base);
      const outcome = expectSpliced(text, [version('alpha', '3.0.0')]);
      const zulu = text.slice(text.indexOf('[', text.indexOf('"zulu"')), text.lastIndexOf(']', text.lastIndexOf('}')));
      expect(outcome.spliced).toContain(`"zulu":${zulu}]`);
      expect(outcome.spliced).toMatch(/"alpha":\[\{"apiVersion":"v2"/);
    });

    it('our own toJson output', () => {
      const ours = dirIndex([version('one', '1.0.0'), version('one', '1.1.0'), version('two', '0.1.0')]);
      expectSpliced(ours.toJson(created), [version('three', '1.0.0')]);
      expectSpliced(ours.toJson(created), [version('one', '1.0.5')]);
    });

    it('no DIR charts, empty entries, null entries, null and empty charts', () => {
      expectSpliced(compact(base));
      expectSpliced(compact(document({})), [version('a', '1.0.0')]);
      expectSpliced(compact({ apiVersion: 'v1', entries: null }), [version('a', '1.0.0')]);
      expectSpliced(compact({ apiVersion: 'v1' }), [version('a', '1.0.0')]);
      const outcome = expectSpliced(compact(document({ gone: null, none: [], kept: [entry('kept', '1.0.0')] })));
      expect(names(outcome)).toEqual(['kept']);
    });

    it('non-ASCII chart names and escaped versions', () => {
      const text = compact(document({ ünï: [entry('ünï', '1.0.0+build')], 'a\\b': [entry('a\\b', '2.0.0')] }));
      expect(text).toContain('"a\\\\b"');
      expectSpliced(text, [version('new', '1.0.0')]);
      const escaped = text.replace('"1.0.0+build"', '"1.0.0+\\u0062uild"');
      expect(escaped).not.toBe(text);
      expectSpliced(escaped, [version('new', '1.0.0')]);
      expectSpliced(escaped, [version('ünï', '1.0.0')]);
    });

    it('"version" elsewhere in a chart: keywords, escaped in a string, an annotation key or value', () => {
      const text = compact(
        document({
          app: [
            entry('app', '2.0.0', { keywords: ['version', 'x'], description: ',"version":"0.0.1"' }),
            entry('app', '1.0.0', { annotations: { version: '9.9.9', x: 'version' } }),
            entry('app', '0.5.0', { annotations: { 'a"version': '9.9.9' } }),
          ],
        }),
      );
      expect(text).toContain('\\"version\\"');
      const outcome = expectSpliced(text, [version('new', '1.0.0')]);
      // Copied as it is: the versions were read as 2.0.0, 1.0.0, 0.5.0 (newest first).
      expect(outcome.spliced).toContain(text.slice(text.indexOf('['), text.lastIndexOf(']') + 1));
    });

    it('versions as Helm parses them: v prefix, short, leading zeros, 20 digits, pre-release rules', () => {
      const versions = [
        'v3',
        '18446744073709551615.0.0',
        '2.1',
        '01.02.03',
        '1.0.0-rc.1+build.5',
        '1.0.0-0a',
        '1.0.0-x-y',
      ];
      const text = compact(document({ app: versions.map((v) => entry('app', v)) }));
      expectSpliced(text, [version('new', '1.0.0')]);
      expectSpliced(text, [version('app', '2.1.0')]);
      for (const bad of ['1.0.0-01', '18446744073709551616.0.0', '1.0.0+', 'x1.0.0', '1.0.0.0']) {
        expectLeftToModel(compact(document({ app: [entry('app', bad)] })), [version('new', '1.0.0')]);
      }
    });

    it('strings with escapes and unicode', () => {
      const text = compact(
        document({
          esc: [entry('esc', '1.0.0', { description: 'say "hi" \\ <b>&</b>\nnext\ttab \u0001 \u2028' })],
          uni: [entry('uni', '1.0.0', { description: 'ünïcødé 日本語 🎉', home: 'https://例え.jp' })],
        }),
      );
      expect(text).toContain('\\n');
      expectSpliced(text, [version('new', '1.0.0')]);
      // Go's encoding/json escapes <, > and & as \u003c, \u003e, \u0026: same strings.
      expectSpliced(text.replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026'));
      expectSpliced(text, [version('uni', '2.0.0')]);
    });

    it('maintainers, dependencies, annotations, sources, keywords', () => {
      const rich = entry('rich', '1.2.3', {
        maintainers: [{ name: 'Ann', email: 'ann@example.com', url: 'https://ann.example' }, { name: 'Bob' }],
        dependencies: [
          { name: 'db', version: '~1.2', repository: 'https://repo.example', alias: 'db_1', condition: 'db.enabled' },
          { name: 'cache', repository: '', tags: ['x'], enabled: true, 'import-values': ['a', { child: 'b' }] },
        ],
        annotations: { 'artifacthub.io/license': 'MIT', 'x/y': '1' },
        sources: ['https://src.example/1'],
        keywords: ['k1', 'k2'],
        icon: 'https://icon.example/i.png',
        kubeVersion: '>=1.20.0-0',
        appVersion: '1.10',
        description: 'rich',
      });
      const text = indented(document({ rich: [rich, entry('rich', '1.0.0', { maintainers: [{}] })] }));
      expectSpliced(text, [version('other', '1.0.0')]);
      expectSpliced(text, [version('rich', '1.2.3')]);
    });

    it('a DIR chart replaces an existing version: same text, SemVer-equal (v prefix, build metadata)', () => {
      const file = compact(
        document({
          app: [entry('app', '2.0.0+build.1'), entry('app', 'v1.5.0'), entry('app', '1.0.0', { description: 'old' })],
          other: [entry('other', '1.0.0')],
        }),
      );
      const dir = (v: string) => [version('app', v, { description: 'new' })];
      for (const v of ['1.0.0', '1.5.0', 'v1.5.0', '2.0.0', '2.0.0+build.2', '1.0.0+x', '3.0.0']) {
        const outcome = expectSpliced(file, dir(v));
        const model = RepositoryIndex.parse(outcome.model as string, 'model');
        expect(model.findVersion('app', v)?.description).toBe('new');
      }
    });

    it('unsorted and duplicate versions in the file are sorted and collapsed as the model does', () => {
      const unsorted = document({
        app: [entry('app', '1.0.0'), entry('app', '2.0.0'), entry('app', '1.5.0')],
        dup: [
          entry('dup', '1.0.0', { description: 'first' }),
          entry('dup', '1.0.0', { description: 'second' }),
          entry('dup', '1.0.0+b'),
        ],
        tie: [entry('tie', '1.0.0+b'), entry('tie', '1.0.0+a')],
      });
      const outcome = expectSpliced(compact(unsorted), [version('zzz', '1.0.0')]);
      const index = RepositoryIndex.parse(outcome.spliced as string, 'spliced');
      expect(
        index
          .charts()
          .find(([name]) => name === 'app')?.[1]
          .map((v) => v.version),
      ).toEqual(['2.0.0', '1.5.0', '1.0.0']);
      expect(index.charts().find(([name]) => name === 'dup')?.[1]).toHaveLength(1);
      expect(index.charts().find(([name]) => name === 'tie')?.[1]).toHaveLength(1);
    });

    it('integer-like chart names (JSON.parse puts them first; the output is sorted as strings either way)', () => {
      const text = compact(document({ '123': [entry('123', '1.0.0')], '9': [entry('9', '1.0.0')], a: [good()] }));
      const outcome = expectSpliced(text, [version('5', '1.0.0')]);
      const at = (name: string) => (outcome.spliced as string).indexOf(`"${name}":[`);
      expect([at('123'), at('5'), at('9'), at('a')].every((p, i, all) => p > 0 && (i === 0 || p > all[i - 1]))).toBe(
        true,
      );
    });

    it('top-level annotations, publicKeys and serverInfo (not carried over, as Helm does)', () => {
      const text = compact(
        document(
          { a: [entry('a', '1.0.0')] },
          { annotations: { k: 'v' }, publicKeys: ['key'], serverInfo: { contextPath: '/x' } },
        ),
      );
      const outcome = expectSpliced(text, [version('b', '1.0.0')]);
      expect(JSON.parse(outcome.spliced as string)).not.toHaveProperty('annotations');
    });

    it('a generated index of 2,000 versions, copied through', () => {
      const entries: Record<string, Entry[]> = {};
      for (let i = 0; i < 2000; i++) {
        const name = `app-${String(i % 40).padStart(3, '0')}`;
        const n = 49 - Math.floor(i / 40);
        (entries[name] ??= []).push(entry(name, `${Math.floor(n / 10)}.${n % 10}.0`, { description: `d${i}` }));
      }
      const outcome = expectSpliced(indented(document(entries)), [
        version('app-017', '9.9.9'),
        version('new', '1.0.0'),
      ]);
      expect(outcome.splicedCount).toBe(2002);
    });
  });

  describe('spliceJsonMerge leaves everything else to the model path', () => {
    const good = entry('app', '1.0.0');
    const doc = (appEntries: unknown[], more: Record<string, unknown> = {}) =>
      compact(document({ app: appEntries, ...more }));
    const dir = [version('new', '1.0.0')];

    it.each([
      ['a version Helm cannot parse', doc([entry('app', 'not-semver')])],
      ['an entry without name', doc([ordered({ ...good, name: undefined })])],
      ['an entry whose name is not its chart', doc([entry('other', '1.0.0')])],
      ['a case-variant field name', doc([ordered({ ...good, name: undefined, Name: 'app' })])],
      ['a number in a string field', doc([ordered({ ...good, appVersion: 1.1 })])],
      ['an empty string field', doc([ordered({ ...good, description: '' })])],
      ['deprecated: false', doc([ordered({ ...good, deprecated: false })])],
      ['an unknown field', doc([ordered({ ...good, extra: 'x' })])],
      ['a null field', doc([ordered({ ...good, icon: null })])],
      ['empty urls', doc([ordered({ ...good, urls: [] })])],
      ['an empty maintainer name', doc([ordered({ ...good, maintainers: [{ name: '' }] })])],
      ['a maintainer with an unknown field', doc([ordered({ ...good, maintainers: [{ name: 'a', phone: '1' }] })])],
      [
        'a dependency alias Helm rejects',
        doc([ordered({ ...good, dependencies: [{ name: 'd', repository: '', alias: 'a.b' }] })]),
      ],
      ['a non-string annotation', doc([ordered({ ...good, annotations: { a: 1 } })])],
      ['an unknown chart type', doc([ordered({ ...good, type: 'other' })])],
      ['a null entry', doc([null])],
      ['a string entry', doc(['app-1.0.0'])],
      ['entries that are a list', compact({ apiVersion: 'v1', entries: [] })],
      ['a chart that is an object', compact(document({ app: { version: '1.0.0' } }))],
      ['a chart named __proto__', compact(document({ ['__proto__']: [entry('__proto__', '1.0.0')] }))],
      ['no apiVersion', compact({ entries: { app: [good] } })],
      ['an empty apiVersion', compact({ apiVersion: '', entries: { app: [good] } })],
      ['a list apiVersion', compact({ apiVersion: ['v1'], entries: { app: [good] } })],
      ['an unknown top-level key', compact({ ...document({ app: [good] }), extra: 1 })],
      ['a case-variant top-level key', compact({ apiVersion: 'v1', Entries: { app: [good] } })],
      ['an array document', compact([document({ app: [good] })])],
      ['an empty file', ''],
      ['YAML', 'apiVersion: v1\nentries: {}\n'],
    ])('%s', (_, text) => {
      expectLeftToModel(text, dir);
    });

    it('duplicate chart keys, duplicate fields, duplicate top-level keys', () => {
      const one = compact([good]);
      expectLeftToModel(`{"apiVersion":"v1","entries":{"app":${one},"app":${one}}}`, dir);
      expectLeftToModel(`{"apiVersion":"v1","entries":{"app":${one},"\\u0061pp":${one}}}`, dir);
      const twice = compact(good).replace('"name":"app"', '"name":"app","name":"app"');
      expectLeftToModel(`{"apiVersion":"v1","entries":{"app":[${twice}]}}`, dir);
      expectLeftToModel(`{"apiVersion":"v1","apiVersion":"v1","entries":{"app":${one}}}`, dir);
    });

    it('bytes that are not valid JSON or not UTF-8', () => {
      const text = doc([good]);
      expect(merge(text, dir).spliced).toBeDefined(); // the baseline the variants below break
      expectLeftToModel(`${text} x`, dir);
      expectLeftToModel(`${text}}`, dir);
      expectLeftToModel(text.slice(0, -1), dir);
      expectLeftToModel(text.slice(0, text.length / 2), dir);
      expectLeftToModel(`\ufeff${text}`, dir);
      expectLeftToModel(text.replace('"digest":', '"digest"::'), dir);
      expectLeftToModel(text.replace('2025-01-01T00:00:00Z', '2025\t01'), dir); // raw control byte in a string
      expectLeftToModel(text.replace('2025-01-01T00:00:00Z', '2025\\x01'), dir); // invalid escape
      expectLeftToModel(text.replace('2025-01-01T00:00:00Z', '2025\\u00g1'), dir);
      expectLeftToModel(text.replace('}]', '},]'), dir); // trailing comma
      expectLeftToModel(text.replace(',"urls"', ' "urls"'), dir); // missing comma
      expectLeftToModel(text.replace(',"urls"', ',,"urls"'), dir);
      expectLeftToModel(text.replace('"apiVersion":"v2"', "'apiVersion':'v2'"), dir);
      const latin1 = Buffer.from(doc([ordered({ ...good, description: 'caf\u00e9' })]), 'latin1');
      expectLeftToModel(latin1, dir);
    });

    it('leaves the DIR index untouched when it bails out', () => {
      const index = dirIndex(dir);
      const before = index.toJson(generated);
      expect(spliceJsonMerge(index, Buffer.from(doc([entry('app', 'bad')])), 'm', generated)).toBeUndefined();
      expect(index.toJson(generated)).toBe(before);
    });
  });
});

describe('spliceJsonMerge on a chart too long for one regex match', () => {
  it('falls back to the per-entry scan when V8 gives up on the chart pattern', () => {
    const entries = Array.from({ length: 400_000 }, (_, i) => ({
      apiVersion: 'v2',
      name: 'a',
      urls: ['u'],
      version: String(400_000 - i),
    }));
    const text = JSON.stringify({ apiVersion: 'v1', entries: { a: entries } });
    const latin1 = Buffer.from(text).toString('latin1');
    const regex = CHART_PATTERNS[1];
    regex.lastIndex = latin1.indexOf('"a"');
    expect(() => regex.test(latin1)).toThrow(RangeError); // what the scan must survive
    const result = spliceJsonMerge(RepositoryIndex.empty(), Buffer.from(text), 'big.json', generated);
    expect(result?.versionCount).toBe(400_000);
  });
});

describe("spliceJsonMerge on real helm's `repo index --json` output", () => {
  let root: string;
  let helmJson: string;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'json-splice-'));
    const repo = join(root, 'repo');
    buildHelmCorpus(repo, join(root, 'work'));
    execFileSync(helmBinary(), ['repo', 'index', repo, '--url', 'https://charts.example.com', '--json'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    helmJson = readFileSync(join(repo, 'index.yaml'), 'utf8');
  }, 120_000);

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('is recognised (indented and compact) and merges as the model does', () => {
    expect(readdirSync(join(root, 'repo')).length).toBeGreaterThan(40);
    const charts = Object.keys(JSON.parse(helmJson).entries as Entry);
    expect(charts.length).toBeGreaterThan(30);
    for (const text of [helmJson, compact(JSON.parse(helmJson))]) {
      expectSpliced(text, [version('brand-new', '0.1.0')]);
      expectSpliced(text, [version(charts[0], '99.0.0'), version(charts[charts.length - 1], '0.0.1')]);
    }
  });
});
