/**
 * The fast path for reading an index: an entry whose every field already has the type Helm's ChartVersion
 * gives it (as in any index Helm or this engine wrote) is kept as the very object the parser produced, with no
 * copy. Anything unusual (unknown or empty fields, numbers in string fields, invalid name or version) returns
 * undefined and takes the full decode-and-validate path, which does exactly what Helm does. Strings are not
 * re-sanitized here: an index's entries were sanitized when they were written.
 */
import { CHART_VERSION_SPEC, DEPENDENCY_SPEC, MAINTAINER_SPEC } from './chart-yaml';
import type { FieldSpec } from './go-decode';
import { isValidSemVer } from './semver';
import type { ChartVersion } from './types';

export type FastKind = 'string' | 'strings' | 'bool' | 'maintainers' | 'dependencies' | 'annotations';

/**
 * The shape each ChartVersion field must already have to take the fast path, derived from Helm's layout. Shared
 * with the JSON byte scanner (json-index-scan), which must accept exactly what this fast path accepts.
 */
export const FIELDS: Readonly<Record<string, FastKind>> = Object.fromEntries(
  Object.entries(CHART_VERSION_SPEC.fields).flatMap(([field, spec]) => {
    const kind = fastKind(spec);
    return kind === undefined ? [] : [[field, kind]];
  }),
);

/** Fields of any other shape (times, free-form values) always take the full path. */
function fastKind(spec: FieldSpec): FastKind | undefined {
  if (spec === 'string' || spec === 'bool') return spec;
  if (typeof spec !== 'object') return undefined;
  if ('list' in spec) {
    if (spec.list === 'string') return 'strings';
    if (spec.list === MAINTAINER_SPEC) return 'maintainers';
    if (spec.list === DEPENDENCY_SPEC) return 'dependencies';
    return undefined;
  }
  if ('map' in spec) return spec.map === 'string' ? 'annotations' : undefined;
  return undefined;
}

export const MAINTAINER_FIELDS: ReadonlySet<string> = new Set(['name', 'email', 'url']);
const DEPENDENCY_STRINGS = new Set(['name', 'version', 'repository', 'condition', 'alias']);
const ALIAS_NAME = /^[a-zA-Z0-9_-]+$/;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function nonEmptyStrings(v: unknown): boolean {
  if (!Array.isArray(v) || v.length === 0) return false;
  for (const s of v) if (typeof s !== 'string') return false;
  return true;
}

function simpleJson(v: unknown): boolean {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v);
  if (Array.isArray(v)) return v.every(simpleJson);
  if (isPlainObject(v)) return Object.values(v).every(simpleJson);
  return false;
}

function maintainersOk(v: unknown): boolean {
  if (!Array.isArray(v) || v.length === 0) return false;
  for (const m of v) {
    if (!isPlainObject(m)) return false;
    for (const k of Object.keys(m)) {
      const s = m[k];
      if (!MAINTAINER_FIELDS.has(k) || typeof s !== 'string' || s === '') return false;
    }
  }
  return true;
}

export function dependenciesOk(v: unknown): boolean {
  if (!Array.isArray(v) || v.length === 0) return false;
  const seen = new Set<string>();
  for (const d of v) {
    if (!isPlainObject(d) || typeof d.name !== 'string' || typeof d.repository !== 'string') return false;
    for (const k of Object.keys(d)) {
      const x = d[k];
      if (DEPENDENCY_STRINGS.has(k)) {
        if (typeof x !== 'string' || (x === '' && k !== 'name' && k !== 'repository')) return false;
      } else if (k === 'tags') {
        if (!nonEmptyStrings(x)) return false;
      } else if (k === 'enabled') {
        if (x !== true) return false;
      } else if (k === 'import-values') {
        if (!Array.isArray(x) || x.length === 0 || !simpleJson(x)) return false;
      } else {
        return false;
      }
    }
    if (typeof d.alias === 'string' && !ALIAS_NAME.test(d.alias)) return false;
    const key = (d.alias as string | undefined) || (d.name as string);
    if (seen.has(key)) return false;
    seen.add(key);
  }
  return true;
}

export function annotationsOk(v: unknown): boolean {
  if (!isPlainObject(v)) return false;
  const keys = Object.keys(v);
  if (keys.length === 0) return false;
  for (const k of keys) if (typeof v[k] !== 'string') return false;
  return true;
}

/** The entry itself when it needs no decoding, sanitizing or validation; otherwise undefined. */
export function fastIndexEntry(raw: unknown): ChartVersion | undefined {
  if (!isPlainObject(raw)) return undefined;
  // for-in rather than Object.keys: no array per entry (an index has thousands of entries).
  for (const key in raw) {
    const v = raw[key];
    switch (FIELDS[key]) {
      case 'string':
        if (typeof v !== 'string' || v === '') return undefined; // Helm omits '' fields: the full path drops them
        break;
      case 'strings':
        if (!nonEmptyStrings(v)) return undefined;
        break;
      case 'bool':
        if (v !== true) return undefined;
        break;
      case 'maintainers':
        if (!maintainersOk(v)) return undefined;
        break;
      case 'dependencies':
        if (!dependenciesOk(v)) return undefined;
        break;
      case 'annotations':
        if (!annotationsOk(v)) return undefined;
        break;
      default:
        return undefined;
    }
  }
  const { name, version, apiVersion, urls } = raw;
  if (typeof name !== 'string' || typeof version !== 'string' || typeof apiVersion !== 'string' || !urls)
    return undefined;
  if (name === '.' || name === '..' || name.includes('/')) return undefined;
  if (raw.type !== undefined && raw.type !== 'application' && raw.type !== 'library') return undefined;
  if (!isValidSemVer(version)) return undefined;
  return raw as unknown as ChartVersion;
}
