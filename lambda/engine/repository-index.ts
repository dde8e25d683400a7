/**
 * RepositoryIndex: the model behind index.yaml. Entries are identified by their file (the url's path), so adding
 * the same file again replaces its entry, whatever its name or version. Versions of a chart are kept sorted as
 * Helm sorts them: SemVer descending; ties broken by version text, then url, so output is deterministic.
 */
import { formatGoTime } from './chart-version';
import { readIndexEntry, type EntryProblem } from './index-entry';
import { parseIndexDocument } from './index-parse';
import { compareSemVer, parseSemVer, type SemVer } from './semver';
import type { ChartVersion } from './types';
import { emitMapping, type TextSink } from './yaml-emit';

/** Top-level fields Helm's IndexFile keeps besides entries and generated. */
export interface IndexHeader {
  readonly apiVersion: string;
  readonly publicKeys?: readonly string[];
  readonly annotations?: Readonly<Record<string, string>>;
}

/** The file an entry stands for: a relative url's decoded path, or an absolute url's last path segment. */
export function fileOfUrl(url: string): string {
  if (!/[%?#:]/.test(url)) return url; // a plain relative path, as most urls are
  let path = url.replace(/[?#].*$/, '');
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(path)) {
    path = path.slice(path.lastIndexOf('/') + 1);
  }
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function fileOf(version: ChartVersion): string | undefined {
  const url = version.urls?.[0];
  return url === undefined ? undefined : fileOfUrl(url);
}

/** parseSemVer caches by text, so sorting and merging parse each distinct version once. */
function semverOf(v: ChartVersion): SemVer | null {
  return parseSemVer(v.version) ?? null;
}

/** Descending SemVer; unparsable versions last (Helm's Less pushes them to the back). */
export function compareVersionsDescending(a: ChartVersion, b: ChartVersion): number {
  const sa = semverOf(a);
  const sb = semverOf(b);
  if (sa && sb) {
    const d = compareSemVer(sb, sa);
    if (d !== 0) return d;
  } else if (sa) return -1;
  else if (sb) return 1;
  if (a.version !== b.version) return a.version < b.version ? 1 : -1;
  const ua = a.urls?.[0] ?? '';
  const ub = b.urls?.[0] ?? '';
  return ua < ub ? -1 : ua > ub ? 1 : 0;
}

/** A canonical SemVer: its identity (what Masterminds compares) is the text without build metadata. */
const CANONICAL_SEMVER = /^(?:0|[1-9]\d{0,15})\.(?:0|[1-9]\d{0,15})\.(?:0|[1-9]\d{0,15})(?:-[0-9A-Za-z.-]+)?(?=\+|$)/;

/** SemVer identity by version text: versions repeat across an index, so each distinct text is worked out once. */
const identities = new Map<string, string | null>();

/** The keys under which Helm's IndexFile.Has(name, version) finds a version: its text, its SemVer identity. */
function versionKeys(v: ChartVersion): [string, string | undefined] {
  let identity = identities.get(v.version);
  if (identity === undefined) {
    if (identities.size >= 50_000) identities.clear();
    const canonical = CANONICAL_SEMVER.exec(v.version);
    const parsed = canonical ? undefined : semverOf(v);
    identity = canonical
      ? `~${canonical[0]}`
      : parsed
        ? `~${parsed.major}.${parsed.minor}.${parsed.patch}-${parsed.prerelease}`
        : null;
    identities.set(v.version, identity);
  }
  return [v.version, identity ?? undefined];
}

export class RepositoryIndex {
  private readonly entries = new Map<string, ChartVersion[]>();
  private readonly unsorted = new Set<string>();
  private readonly fileMap = new Map<string, ChartVersion>();
  /**
   * Entries not yet in fileMap, in insertion order, and whether an entry already there for the same file wins
   * (merged entries) or is replaced (parsed ones). Filled by parse and mergeFrom, applied on first use: merging a
   * large index into a small one and writing it out never needs the file of each of its 10,000 entries.
   */
  private pendingFiles: ChartVersion[] = [];
  private pendingKeepExisting: boolean[] = [];

  private constructor(
    private readonly header: IndexHeader,
    /** Entries Helm would skip when reading the source index, with the reason. */
    readonly skipped: readonly EntryProblem[] = [],
  ) {}

  static empty(): RepositoryIndex {
    return new RepositoryIndex({ apiVersion: 'v1' });
  }

  /**
   * Reads index.yaml text, JSON or YAML as Helm detects it (valid JSON is JSON). Throws an Error naming `source`
   * when the text is not an index at all; entries Helm would skip are skipped and listed in `skipped`.
   */
  static parse(text: string, source: string): RepositoryIndex {
    const doc = parseIndexDocument(text, source);
    const skipped: EntryProblem[] = [];
    const index = new RepositoryIndex(doc.header, skipped);
    for (const [name, versions] of doc.entries) {
      for (const raw of versions) {
        const version = readIndexEntry(name, raw, (p) => skipped.push(p));
        if (version) {
          index.insert(name, version);
          index.deferFile(version, false);
        }
      }
    }
    return index;
  }

  /**
   * Adds an entry, replacing any entry for the same file. `file` defaults to the one its url names; give it when
   * the url does not say it all (an absolute url of a chart in a sub-folder: `team/x.tgz`, not `x.tgz`).
   */
  add(version: ChartVersion, file: string | undefined = fileOf(version)): void {
    if (file !== undefined) this.removeFile(file);
    this.insert(version.name, version);
    if (file !== undefined) this.byFile.set(file, version);
  }

  private insert(name: string, version: ChartVersion): void {
    let list = this.entries.get(name);
    if (!list) {
      list = [];
      this.entries.set(name, list);
    }
    list.push(version);
    this.unsorted.add(name);
  }

  /** Queues `version`'s file for the file map; `keepExisting`: an entry already there for that file wins. */
  private deferFile(version: ChartVersion, keepExisting: boolean): void {
    this.pendingFiles.push(version);
    this.pendingKeepExisting.push(keepExisting);
  }

  /** The file -> entry map, with the pending entries applied. */
  private get byFile(): Map<string, ChartVersion> {
    if (this.pendingFiles.length > 0) {
      this.pendingFiles.forEach((version, i) => {
        const file = fileOf(version);
        if (file !== undefined && !(this.pendingKeepExisting[i] && this.fileMap.has(file))) {
          this.fileMap.set(file, version);
        }
      });
      this.pendingFiles = [];
      this.pendingKeepExisting = [];
    }
    return this.fileMap;
  }

  /**
   * `helm repo index --merge` (IndexFile.Merge): adds each entry of `other` unless this index already has that
   * chart name at that version, as Helm's Has() finds it: the exact text, or a SemVer-equal version (build
   * metadata ignored, `v1.0.0` = `1.0.0`). Entries of `other` that point at the same file are all kept, as Helm
   * keeps them; a file this index already has keeps pointing at this index's entry. The header stays this
   * index's: Helm does not carry the merged index's annotations or public keys over.
   */
  mergeFrom(other: RepositoryIndex): void {
    // Per chart name: the versions present (text and SemVer identity). Only names both sides have need a look.
    const present = new Map<string, Set<string>>();
    const remember = (version: ChartVersion, [text, identity]: [string, string | undefined]) => {
      let keys = present.get(version.name);
      if (!keys) present.set(version.name, (keys = new Set()));
      keys.add(text);
      if (identity !== undefined) keys.add(identity);
    };
    for (const list of this.entries.values()) for (const v of list) remember(v, versionKeys(v));
    // Helm walks the merged index's versions newest first: of two equal versions there, the first wins.
    for (const [, list] of other.charts()) {
      for (const version of list) {
        const keys = versionKeys(version);
        const seen = present.get(version.name);
        if (seen && (seen.has(keys[0]) || (keys[1] !== undefined && seen.has(keys[1])))) continue;
        remember(version, keys);
        this.insert(version.name, version);
        this.deferFile(version, true);
      }
    }
  }

  /** Removes the entry for `file`; true if there was one. */
  removeFile(file: string): boolean {
    const version = this.byFile.get(file);
    if (!version) return false;
    this.byFile.delete(file);
    for (const [name, list] of this.entries) {
      const i = list.indexOf(version);
      if (i === -1) continue;
      list.splice(i, 1);
      if (list.length === 0) this.entries.delete(name);
      break;
    }
    return true;
  }

  /** Files the index has entries for (decoded, relative to the repository folder). */
  files(): string[] {
    return [...this.byFile.keys()];
  }

  entryForFile(file: string): ChartVersion | undefined {
    return this.byFile.get(file);
  }

  /** The entry for chart `name` at exactly `version`, as `helm repo index --merge` matches entries. */
  findVersion(name: string, version: string): ChartVersion | undefined {
    return this.entries.get(name)?.find((v) => v.version === version);
  }

  get versionCount(): number {
    let n = 0;
    for (const list of this.entries.values()) n += list.length;
    return n;
  }

  /** Chart names (sorted) and their versions (sorted as Helm sorts them). */
  charts(): Array<[string, readonly ChartVersion[]]> {
    for (const name of this.unsorted) this.entries.get(name)?.sort(compareVersionsDescending);
    this.unsorted.clear();
    return [...this.entries.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /** Chart names, unsorted. */
  chartNames(): string[] {
    return [...this.entries.keys()];
  }

  private document(generated: Date, charts = this.charts()): Record<string, unknown> {
    const entries: Record<string, readonly ChartVersion[]> = {};
    for (const [name, list] of charts) entries[name] = list;
    const { apiVersion, publicKeys, annotations } = this.header;
    return {
      apiVersion,
      generated: formatGoTime(generated),
      entries,
      ...(publicKeys && publicKeys.length > 0 ? { publicKeys } : {}),
      ...(annotations && Object.keys(annotations).length > 0 ? { annotations } : {}),
    };
  }

  /** index.yaml as `helm repo index` writes it (keys sorted), `generated` as given. */
  toYaml(generated: Date): string {
    const out: string[] = [];
    this.emitYaml(out, generated);
    return out.join('');
  }

  /** toYaml line by line into `out`: a writer can flush as it goes instead of holding every line at once. */
  emitYaml(out: TextSink, generated: Date): void {
    emitMapping(out, this.document(generated), '');
  }

  /**
   * The JSON form (`helm repo index --json` means the same): Helm clients detect it and parse it far faster.
   * Compact rather than indented like Helm's: a third smaller and quicker to write and to read.
   */
  toJson(generated: Date): string {
    return `${JSON.stringify(this.document(generated))}\n`;
  }

  /**
   * toJson's text cut around its charts, for a writer that adds charts of its own (json-index-splice): `before`
   * ends with `"entries":{`, each chart is its name and its versions as JSON, `after` closes entries and the rest.
   */
  toJsonParts(generated: Date): { before: string; charts: Array<[string, string]>; after: string } {
    const text = JSON.stringify(this.document(generated, []));
    // The first `"entries":{}` is the key itself: inside a string value its quotes would be escaped.
    const at = text.indexOf('"entries":{}') + '"entries":{'.length;
    const charts = this.charts().map(([name, list]): [string, string] => [name, JSON.stringify(list)]);
    return { before: text.slice(0, at), charts, after: `${text.slice(at)}\n` };
  }
}
