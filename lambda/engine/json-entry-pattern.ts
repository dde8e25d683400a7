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

function entryPattern(order: readonly string[]): EntryPattern {
  const groups: Record<string, number> = {};
  let group = 0;
  const fields = order.flatMap((field) => {
    const value = VALUES[FIELDS[field]];
    if (value === undefined) return [];
    const captured = CAPTURED.includes(field);
    if (captured) groups[field] = ++group;
    // After a field: a comma and the next field's quote, or the closing brace. No trailing comma, none missing.
    const text = `"${field}"${WS}:${WS}${captured ? `(${value})` : value}${WS}(?:,${WS}(?=")|(?=\\}))`;
    return [REQUIRED.has(field) ? text : `(?:${text})?`];
  });
  return {
    regex: new RegExp(`\\{${WS}${fields.join('')}\\}`, 'y'),
    name: groups.name,
    version: groups.version,
    type: groups.type,
  };
}

/** Helm's field order (Go's ChartVersion layout, which FIELDS follows; also toJson's), then sorted keys. */
export const ENTRY_PATTERNS: readonly EntryPattern[] = [
  entryPattern(Object.keys(FIELDS)),
  entryPattern(Object.keys(FIELDS).sort()),
];
