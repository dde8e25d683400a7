/**
 * One index entry in the fast path's shape as a sticky regular expression, per field order: V8 compiles a regex to
 * machine code on its second use, so matching an entry costs the same in a fresh process as in a warm one, where
 * a JavaScript byte loop runs unoptimized for much of a cold pass over a large index. Built from index-entry-fast's
 * FIELDS and MAINTAINER_FIELDS, so it accepts exactly the values fastIndexEntry accepts: each field once, of its
 * kind and not empty, the required ones (name, version, apiVersion, urls) present. Matched against the file read
 * as latin1 (one character per byte); UTF-8 validity is checked on the bytes. Entries with dependencies, or with
 * their fields in another order, are not matched: the byte scanner takes them.
 */
import { FIELDS, MAINTAINER_FIELDS, type FastKind } from './index-entry-fast';

export interface EntryPattern {
  readonly regex: RegExp;
  /** Group numbers of the raw JSON strings (quotes included) of name, version and type (undefined: no type). */
  readonly name: number;
  readonly version: number;
  readonly type: number;
}

const WS = '[ \\t\\n\\r]*';
/** A JSON string's characters: no raw control byte, no lone backslash (an unrolled loop: fast, no backtracking). */
const CHARS = '[^"\\\\\\x00-\\x1f]*(?:\\\\(?:["\\\\/bfnrt]|u[0-9a-fA-F]{4})[^"\\\\\\x00-\\x1f]*)*';
const STRING = `"${CHARS}"`;
const NON_EMPTY = `"(?!")${CHARS}"`;
const list = (item: string) => `\\[${WS}${item}(?:${WS},${WS}${item})*${WS}\\]`;
const MAINTAINER_FIELD = `"(?:${[...MAINTAINER_FIELDS].join('|')})"${WS}:${WS}${NON_EMPTY}`;
const MAINTAINER = `\\{${WS}(?:${MAINTAINER_FIELD}(?:${WS},${WS}${MAINTAINER_FIELD})*${WS})?\\}`;
const ANNOTATION = `${STRING}${WS}:${WS}${STRING}`;

/** What each kind's value must look like; dependencies need dependenciesOk, so they are left to the scanner. */
const VALUES: Readonly<Record<FastKind, string | undefined>> = {
  string: NON_EMPTY,
  strings: list(STRING),
  bool: 'true',
  maintainers: list(MAINTAINER),
  annotations: `\\{${WS}${ANNOTATION}(?:${WS},${WS}${ANNOTATION})*${WS}\\}`,
  dependencies: undefined,
};

const REQUIRED = new Set(['name', 'version', 'apiVersion', 'urls']);
const CAPTURED = ['name', 'version', 'type'];

/** The fields of an entry in `order`, each at most once, the required ones present; `value` says how each looks. */
function fieldSequence(order: readonly string[], value: (field: string) => string | undefined): string {
  const fields = order.flatMap((field) => {
    const pattern = value(field);
    if (pattern === undefined) return [];
    // After a field: a comma and the next field's quote, or the closing brace. No trailing comma, none missing.
    const text = `"${field}"${WS}:${WS}${pattern}${WS}(?:,${WS}(?=")|(?=\\}))`;
    return [REQUIRED.has(field) ? text : `(?:${text})?`];
  });
  return `\\{${WS}${fields.join('')}\\}`;
}

function entryPattern(order: readonly string[]): EntryPattern {
  const groups: Record<string, number> = {};
  let group = 0;
  const entry = fieldSequence(order, (field) => {
    const value = VALUES[FIELDS[field]];
    if (value === undefined || !CAPTURED.includes(field)) return value;
    groups[field] = ++group;
    return `(${value})`;
  });
  return { regex: new RegExp(entry, 'y'), name: groups.name, version: groups.version, type: groups.type };
}

/** Helm's field order (Go's ChartVersion layout, which FIELDS follows; also toJson's), then sorted keys. */
const ORDERS = [Object.keys(FIELDS), Object.keys(FIELDS).sort()];

export const ENTRY_PATTERNS: readonly EntryPattern[] = ORDERS.map(entryPattern);

/**
 * A version as Masterminds' NewVersion accepts it (semver.ts): optional v, up to three numbers (19 digits at most,
 * so below 2^64; longer ones are left to the scanner), pre-release identifiers without leading zeros if numeric.
 */
const NUMBER = '[0-9]{1,19}';
const PRERELEASE = '(?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)';
const BUILD = '[0-9A-Za-z-]+';
const SEMVER = `v?${NUMBER}(?:\\.${NUMBER})?(?:\\.${NUMBER})?(?:-${PRERELEASE}(?:\\.${PRERELEASE})*)?(?:\\+${BUILD}(?:\\.${BUILD})*)?`;

/** Annotations whose keys are not "version": then the only `"version":` keys in a chart are its entries'. */
const ANNOTATION_NOT_VERSION = `(?!"version"${WS}:)${ANNOTATION}`;

function chartPattern(order: readonly string[]): RegExp {
  const entry = fieldSequence(order, (field) => {
    if (field === 'name') return '\\1'; // the chart's key, byte for byte
    if (field === 'version') return `"${SEMVER}"`;
    if (field === 'type') return '"(?:application|library)"';
    if (field === 'annotations')
      return `\\{${WS}${ANNOTATION_NOT_VERSION}(?:${WS},${WS}${ANNOTATION_NOT_VERSION})*${WS}\\}`;
    return VALUES[FIELDS[field]];
  });
  return new RegExp(`(${STRING})${WS}:${WS}\\[${WS}${entry}(?:${WS},${WS}${entry})*${WS}\\]`, 'y');
}

/**
 * A whole chart (its key, then a non-empty array of entries in one field order) as one regex: name equal to the
 * key (a backreference), a valid SemVer version, type application or library. One match per chart instead of one
 * per entry. The versions are then read with VERSION_SPLIT.
 */
export const CHART_PATTERNS: readonly RegExp[] = ORDERS.map(chartPattern);

/**
 * Splits a chart matched by CHART_PATTERNS at its entries' versions (captured: odd items of the split). Only an
 * entry's own key can be `"version":` after a `{` or `,`: other keys are fixed (maintainers) or not "version"
 * (annotations), and inside a string a quote is escaped, so never right after `{` or `,`.
 */
export const VERSION_SPLIT = /"version"(?<=[{,][ \t\n\r]*"version")[ \t\n\r]*:[ \t\n\r]*"([^"]*)"/;
