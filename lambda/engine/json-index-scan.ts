/**
 * Recognises a JSON index in its usual shape (what toJson or `helm repo index --json` writes) straight from the
 * file's bytes, in one pass: where each chart's versions array lies, and whether every entry is one that
 * index-entry's fast path would keep as it is (same FIELDS table, same checks). No whole-document JSON.parse.
 *
 * Recognised: valid UTF-8 JSON; an object with only the keys apiVersion, entries, generated, serverInfo,
 * publicKeys, annotations (once each); entries null or an object of chart name -> null or array of entry
 * objects. Each entry: exact lower-camel field names from FIELDS (once each), each value already of its Go type
 * and non-empty, name equal (byte for byte) to its chart's key, a Helm-valid SemVer version, type application or
 * library. Chart names must be unique, not empty, `.`, `..` or `__proto__`, without `/`. Anything else
 * returns undefined: the caller takes the model path (RepositoryIndex.parse), which decides what it means.
 */
import { isUtf8 } from 'node:buffer';
import { annotationsOk, dependenciesOk, FIELDS, MAINTAINER_FIELDS, type FastKind } from './index-entry-fast';
import { JsonScanner, NOT_RECOGNISED, notRecognised, skipWs, stringEnd } from './json-scan';
import { CHART_PATTERNS, ENTRY_PATTERNS, VERSION_SPLIT } from './json-entry-pattern';
import { compareSemVer, parseSemVer, type SemVer } from './semver';

export interface ScannedChart {
  readonly name: string;
  /** The chart's versions array: bytes [start, end) of the file, from its `[` to its `]`. */
  readonly start: number;
  readonly end: number;
  readonly versions: number;
  /** Versions strictly newest first (no two SemVer-equal): already Helm's order, so the bytes can be copied. */
  readonly ordered: boolean;
}

export interface ScannedIndex {
  /** The document without its entries, as JSON text: its header is checked by index-parse, as the model does. */
  readonly header: string;
  /** Charts in file order; a chart whose value is null is left out (the model skips it too). */
  readonly charts: ScannedChart[];
}

const TOP_LEVEL = new Set(['apiVersion', 'entries', 'generated', 'serverInfo', 'publicKeys', 'annotations']);

const ENTRY_KEYS = Object.keys(FIELDS);
const STRING = 1;
const STRINGS = 2;
const BOOL = 3;
const MAINTAINERS = 4;
const DEPENDENCIES = 5;
const ANNOTATIONS = 6;
const KIND_NUMBERS: Readonly<Record<FastKind, number>> = {
  string: STRING,
  strings: STRINGS,
  bool: BOOL,
  maintainers: MAINTAINERS,
  dependencies: DEPENDENCIES,
  annotations: ANNOTATIONS,
};
/** Per field id: its kind as a small number (the hot loop compares numbers, not strings). */
const KIND_CODES = Uint8Array.from(ENTRY_KEYS, (key) => KIND_NUMBERS[FIELDS[key]]);
const NAME = ENTRY_KEYS.indexOf('name');
const VERSION = ENTRY_KEYS.indexOf('version');
const API_VERSION = ENTRY_KEYS.indexOf('apiVersion');
const URLS = ENTRY_KEYS.indexOf('urls');
const TYPE = ENTRY_KEYS.indexOf('type');
const MAINTAINER_KEYS = [...MAINTAINER_FIELDS];
const WHITESPACE = new Set([0x20, 0x0a, 0x0d, 0x09]);
const ODD_CHART_NAME = /^(?:\.|\.\.|__proto__|)$|\//;

/** Finds a field among fixed ASCII names by its raw bytes (open addressing on a hash), without making a string. */
class KeyTable {
  private readonly slots = new Int16Array(1024).fill(-1);
  private readonly codes: Uint8Array[];

  constructor(names: readonly string[]) {
    this.codes = names.map((name) => Buffer.from(name, 'latin1'));
    this.codes.forEach((code, id) => {
      let slot = KeyTable.hash(code, 0, code.length);
      while (this.slots[slot] !== -1) slot = (slot + 1) & 1023;
      this.slots[slot] = id;
    });
  }

  private static hash(b: Uint8Array, start: number, end: number): number {
    let hash = end - start;
    for (let i = start; i < end; i++) hash = (hash * 31 + b[i]) | 0;
    return hash & 1023;
  }

  /** The id of the name whose bytes are the string [start, end) of `b` (quotes included), or -1. */
  find(b: Uint8Array, start: number, end: number): number {
    const first = start + 1;
    const length = end - start - 2;
    for (let slot = KeyTable.hash(b, first, end - 1); ; slot = (slot + 1) & 1023) {
      const id = this.slots[slot];
      if (id === -1) return -1;
      const code = this.codes[id];
      if (code.length !== length) continue;
      let i = 0;
      while (i < length && b[first + i] === code[i]) i++;
      if (i === length) return id;
    }
  }
}

const ENTRY_TABLE = new KeyTable(ENTRY_KEYS);
const MAINTAINER_TABLE = new KeyTable(MAINTAINER_KEYS);

class IndexScanner {
  private readonly s: JsonScanner;
  /** Per entry field: the number of the entry it was last seen in (duplicate keys are not recognised). */
  private readonly seenIn = new Int32Array(ENTRY_KEYS.length).fill(-1);
  private entryNumber = 0;
  /** The file as latin1 text (one character per byte), what ENTRY_PATTERNS match. */
  private readonly text: string;
  private lastPattern = 0;
  /** The chart being scanned: its versions (each valid as Helm parses it), in file order. */
  private readonly versions: SemVer[] = [];

  constructor(private readonly bytes: Buffer) {
    this.s = new JsonScanner(bytes);
    this.text = bytes.toString('latin1');
  }

  document(): ScannedIndex {
    const { s, bytes } = this;
    let p = s.expect(s.ws(0), 0x7b);
    const keys = new Set<string>();
    const header: string[] = [];
    let charts: ScannedChart[] = [];
    if (bytes[p] !== 0x7d) {
      for (;;) {
        const keyStart = p;
        p = s.string(p);
        const key = s.text(keyStart, p);
        if (!TOP_LEVEL.has(key) || keys.has(key)) notRecognised();
        keys.add(key);
        p = s.expect(s.ws(p), 0x3a);
        if (key === 'entries') {
          [p, charts] = this.entries(p);
        } else {
          const valueStart = p;
          p = s.value(p);
          header.push(`"${key}":${bytes.toString('utf8', valueStart, p)}`);
        }
        p = s.ws(p);
        if (bytes[p] === 0x7d) break;
        p = s.expect(p, 0x2c);
      }
    }
    // Only whitespace after the document (a bounded loop: reading past the end would slow skipWs down).
    for (p++; p < bytes.length; p++) if (!WHITESPACE.has(bytes[p])) notRecognised();
    return { header: `{${header.join(',')}}`, charts };
  }

  private entries(p: number): [number, ScannedChart[]] {
    const { s, bytes } = this;
    const charts: ScannedChart[] = [];
    if (s.matches(p, 'null')) return [p + 4, charts];
    p = s.expect(p, 0x7b);
    if (bytes[p] === 0x7d) return [p + 1, charts];
    const names = new Set<string>();
    for (;;) {
      const keyStart = p;
      p = s.string(p);
      const keyEnd = p;
      const name = s.text(keyStart, keyEnd);
      if (ODD_CHART_NAME.test(name) || names.has(name)) notRecognised();
      names.add(name);
      p = s.expect(s.ws(p), 0x3a);
      if (s.matches(p, 'null')) p += 4;
      else if (bytes[p] === 0x5b) {
        const start = p;
        const end = this.patternChart(keyStart, start);
        p = end >= 0 ? end : this.chart(p, keyStart, keyEnd);
        charts.push({ name, start, end: p, versions: this.versions.length, ordered: this.versionsOrdered() });
      } else notRecognised();
      p = s.ws(p);
      if (bytes[p] === 0x7d) return [p + 1, charts];
      p = s.expect(p, 0x2c);
    }
  }

  /**
   * One chart's versions array at `start`, each entry checked as fastIndexEntry checks it; fills versions,
   * returns the position after the array. Most entries are matched by an ENTRY_PATTERNS regex (machine code from
   * its second use); the others are scanned byte by byte by entry().
   */
  private chart(start: number, keyStart: number, keyEnd: number): number {
    const b = this.bytes;
    const keyText = this.text.slice(keyStart, keyEnd);
    this.versions.length = 0;
    let p = skipWs(b, start + 1);
    if (b[p] !== 0x5d) {
      for (;;) {
        if (b[p] !== 0x7b) notRecognised();
        const end = this.patternEntry(p, keyText);
        p = skipWs(b, end >= 0 ? end : this.entry(p, keyStart, keyEnd));
        if (b[p] === 0x5d) break;
        if (b[p] !== 0x2c) notRecognised();
        p = skipWs(b, p + 1);
      }
    }
    return p + 1;
  }

  /**
   * The chart whose key is at keyStart and whose array starts at `start`, when one of CHART_PATTERNS matches it
   * whole (the one that matched last tried first): fills versions, returns the position after the array; else -1.
   */
  private patternChart(keyStart: number, start: number): number {
    for (let i = 0; i < CHART_PATTERNS.length; i++) {
      const index = (this.lastPattern + i) % CHART_PATTERNS.length;
      const regex = CHART_PATTERNS[index];
      if (execAt(regex, this.text, keyStart) === null) continue;
      this.lastPattern = index;
      const end = regex.lastIndex;
      const parts = this.text.slice(start, end).split(VERSION_SPLIT);
      this.versions.length = 0;
      for (let j = 1; j < parts.length; j += 2) this.versions.push(parseSemVer(parts[j]) ?? notRecognised());
      return end;
    }
    return -1;
  }

  /** The entry at p matched by one of ENTRY_PATTERNS (the one that matched last tried first); -1 if none does. */
  private patternEntry(p: number, keyText: string): number {
    for (let i = 0; i < ENTRY_PATTERNS.length; i++) {
      const pattern = ENTRY_PATTERNS[(this.lastPattern + i) % ENTRY_PATTERNS.length];
      const match = execAt(pattern.regex, this.text, p);
      if (match === null) continue;
      this.lastPattern = (this.lastPattern + i) % ENTRY_PATTERNS.length;
      const type = match[pattern.type];
      if (match[pattern.name] !== keyText) notRecognised();
      if (type !== undefined && type !== '"application"' && type !== '"library"') notRecognised();
      const raw = match[pattern.version];
      // The raw text is the version itself unless it holds escapes or non-ASCII (then it is no SemVer as it is).
      this.versions.push(parseSemVer(raw.slice(1, -1)) ?? parseSemVer(stringText(raw)) ?? notRecognised());
      return pattern.regex.lastIndex;
    }
    return -1;
  }

  /** The entry at p, scanned byte by byte (entries no pattern matches); returns the position after it. */
  private entry(p: number, keyStart: number, keyEnd: number): number {
    const { s, seenIn } = this;
    const b = this.bytes;
    const number = this.entryNumber++;
    let nameStart = -1;
    let nameEnd = -1;
    let versionStart = -1;
    let versionEnd = -1;
    let typeStart = -1;
    let typeEnd = -1;
    p = skipWs(b, p + 1);
    for (;;) {
      const fieldStart = p;
      p = stringEnd(b, p);
      const id = ENTRY_TABLE.find(b, fieldStart, p);
      if (id < 0 || seenIn[id] === number) notRecognised();
      seenIn[id] = number;
      p = skipWs(b, p);
      if (b[p] !== 0x3a) notRecognised();
      p = skipWs(b, p + 1);
      const valueStart = p;
      const kind = KIND_CODES[id];
      if (kind === STRING) {
        p = stringEnd(b, p);
        if (p - valueStart === 2) notRecognised(); // '': Helm omits it, the full path drops it
        if (id === NAME) {
          nameStart = valueStart;
          nameEnd = p;
        } else if (id === VERSION) {
          versionStart = valueStart;
          versionEnd = p;
        } else if (id === TYPE) {
          typeStart = valueStart;
          typeEnd = p;
        }
      } else if (kind === STRINGS) {
        p = this.strings(p);
      } else {
        p = this.otherValue(kind, p);
      }
      p = skipWs(b, p);
      if (b[p] === 0x7d) break;
      if (b[p] !== 0x2c) notRecognised();
      p = skipWs(b, p + 1);
    }
    if (seenIn[API_VERSION] !== number || seenIn[URLS] !== number || versionStart < 0) notRecognised();
    if (nameStart < 0 || !s.same(nameStart, nameEnd, keyStart, keyEnd)) notRecognised();
    if (typeStart >= 0 && !this.isChartType(typeStart, typeEnd)) notRecognised();
    this.versions.push(parseSemVer(s.text(versionStart, versionEnd)) ?? notRecognised());
    return p + 1;
  }

  /** A non-empty array of strings. */
  private strings(p: number): number {
    const b = this.bytes;
    if (b[p] !== 0x5b) notRecognised();
    for (;;) {
      p = skipWs(b, stringEnd(b, skipWs(b, p + 1)));
      if (b[p] === 0x5d) return p + 1;
      if (b[p] !== 0x2c) notRecognised();
    }
  }

  /** Values of the rarer kinds (kept out of chart(): a smaller hot function is optimized sooner). */
  private otherValue(kind: number, p: number): number {
    const { s } = this;
    const start = p;
    if (kind === BOOL) {
      if (!s.matches(p, 'true')) notRecognised();
      return p + 4;
    }
    if (kind === MAINTAINERS) return this.maintainers(p);
    p = s.value(p);
    if (kind === DEPENDENCIES && dependenciesOk(this.parse(start, p))) return p;
    if (kind === ANNOTATIONS && annotationsOk(this.parse(start, p))) return p;
    return notRecognised();
  }

  /** Whether the chart's versions are strictly newest first: Helm's order, no two SemVer-equal. */
  private versionsOrdered(): boolean {
    const { versions } = this;
    for (let i = 1; i < versions.length; i++) if (compareSemVer(versions[i - 1], versions[i]) <= 0) return false;
    return true;
  }

  /** A non-empty array of objects whose fields are name/email/url (once each), each a non-empty string. */
  private maintainers(p: number): number {
    const b = this.bytes;
    if (b[p] !== 0x5b) notRecognised();
    for (;;) {
      p = skipWs(b, p + 1);
      if (b[p] !== 0x7b) notRecognised();
      p = skipWs(b, p + 1);
      if (b[p] !== 0x7d) {
        let seen = 0;
        for (;;) {
          const keyStart = p;
          p = stringEnd(b, p);
          const id = MAINTAINER_TABLE.find(b, keyStart, p);
          if (id < 0 || (seen & (1 << id)) !== 0) notRecognised();
          seen |= 1 << id;
          p = skipWs(b, p);
          if (b[p] !== 0x3a) notRecognised();
          const valueStart = skipWs(b, p + 1);
          p = stringEnd(b, valueStart);
          if (p - valueStart === 2) notRecognised(); // an empty maintainer field: the full path drops it
          p = skipWs(b, p);
          if (b[p] === 0x7d) break;
          if (b[p] !== 0x2c) notRecognised();
          p = skipWs(b, p + 1);
        }
      }
      p = skipWs(b, p + 1);
      if (b[p] === 0x5d) return p + 1;
      if (b[p] !== 0x2c) notRecognised();
    }
  }

  private isChartType(start: number, end: number): boolean {
    const { s } = this;
    const length = end - start;
    return (length === 13 && s.matches(start, '"application"')) || (length === 9 && s.matches(start, '"library"'));
  }

  private parse(start: number, end: number): unknown {
    return JSON.parse(this.bytes.toString('utf8', start, end));
  }
}

/**
 * The sticky `regex` matched at `at`, or null; null too when V8 gives up on it (a chart of a few hundred thousand
 * entries overflows the regex backtrack stack with a RangeError): the byte scanner then takes the chart.
 */
function execAt(regex: RegExp, text: string, at: number): RegExpExecArray | null {
  regex.lastIndex = at;
  try {
    return regex.exec(text);
  } catch (error) {
    if (error instanceof RangeError) return null;
    throw error;
  }
}

/** The text of a JSON string matched in the latin1 text: as is when plain ASCII, else decoded as UTF-8 JSON. */
function stringText(raw: string): string {
  if (!/[\\\x80-\xff]/.test(raw)) return raw.slice(1, -1);
  return JSON.parse(Buffer.from(raw, 'latin1').toString('utf8')) as string;
}

/** The index's layout when its bytes are in the recognised shape; undefined otherwise. */
export function scanJsonIndex(bytes: Buffer): ScannedIndex | undefined {
  // Cheap checks first: YAML (or anything not an object) is known before the file is decoded.
  if (bytes[skipWs(bytes, 0)] !== 0x7b || !isUtf8(bytes)) return undefined;
  try {
    return new IndexScanner(bytes).document();
  } catch (error) {
    if (error === NOT_RECOGNISED) return undefined;
    throw error;
  }
}
