/**
 * A small YAML emitter for the index's plain data (maps with sorted keys, lists, strings, numbers, booleans),
 * in go-yaml's layout (`- ` items at the parent key's indent). It quotes every string that any YAML reader
 * (go-yaml v2 as Helm uses it, YAML 1.1 or 1.2) could read as something other than the same string, so Helm
 * reads back exactly the index we mean. Hand-written because js-yaml's dump is the slowest part of a merge.
 */
import { resolvePlain } from './go-yaml';

/** Where emitted lines go, in order: an array, or a writer that flushes them to a file as they come. */
export interface TextSink {
  push(text: string): void;
}

const BASE60 = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;
const TIMESTAMP_LIKE = /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}/;
// Characters a YAML double-quoted scalar must escape beyond what JSON.stringify escapes.
const YAML_UNSAFE =
  /[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function escapeCodeUnit(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** True when `s` can be written as a plain scalar that every YAML reader reads back as this same string. */
function plainIsSafe(s: string): boolean {
  const n = s.length;
  if (n === 0) return false;
  const first = s.charCodeAt(0);
  const letter = (first >= 97 && first <= 122) || (first >= 65 && first <= 90);
  if (!letter && !(first >= 48 && first <= 57) && first !== 95 && first !== 46 && first !== 47 && first !== 40) {
    return false;
  }
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return false;
    switch (c) {
      case 0x22: // "
      case 0x27: // '
      case 0x5c: // backslash
      case 0x60: // `
      case 0x7b: // {
      case 0x7d: // }
      case 0x5b: // [
      case 0x5d: // ]
      case 0x2c: // ,
      case 0x26: // &
      case 0x2a: // *
      case 0x21: // !
      case 0x7c: // |
      case 0x3e: // >
      case 0x25: // %
      case 0x40: // @
        return false;
      case 0x3a: // ':' followed by a space or at the end starts a mapping
        if (i === n - 1 || s.charCodeAt(i + 1) === 0x20) return false;
        break;
      case 0x23: // ' #' starts a comment
        if (s.charCodeAt(i - 1) === 0x20) return false;
        break;
      case 0x20:
        if (i === n - 1) return false;
        break;
    }
  }
  // Only text that starts like a number, boolean or null can resolve to one (go-yaml's hint table).
  if (letter && !'yYnNtTfFoO'.includes(s[0])) return true;
  return resolvePlain(s).tag === 'str' && !BASE60.test(s) && !TIMESTAMP_LIKE.test(s);
}

const cache = new Map<string, string>();

/** A string as a YAML scalar: plain when nothing could misread it, else double-quoted. */
export function yamlString(s: string): string {
  const cached = cache.get(s);
  if (cached !== undefined) return cached;
  const out = plainIsSafe(s) ? s : JSON.stringify(s).replace(YAML_UNSAFE, escapeCodeUnit);
  if (s.length <= 24) {
    if (cache.size > 10_000) cache.clear();
    cache.set(s, out);
  }
  return out;
}

function scalar(v: unknown): string | undefined {
  if (v === null || v === undefined) return 'null';
  switch (typeof v) {
    case 'string':
      return yamlString(v);
    case 'number':
      return Number.isFinite(v) ? String(v) : 'null';
    case 'bigint':
      return v.toString();
    case 'boolean':
      return v ? 'true' : 'false';
    default:
      return undefined;
  }
}

function isEmptyCollection(v: unknown): string | undefined {
  if (Array.isArray(v)) return v.length === 0 ? '[]' : undefined;
  if (v !== null && typeof v === 'object') return Object.keys(v).length === 0 ? '{}' : undefined;
  return undefined;
}

/** Appends `value` as the body of a mapping at `indent` (keys sorted, as go-yaml sorts them). */
export function emitMapping(out: TextSink, value: Record<string, unknown>, indent: string, firstPrefix?: string): void {
  const keys = Object.keys(value).sort();
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const prefix = i === 0 && firstPrefix !== undefined ? firstPrefix : indent;
    emitKeyValue(out, prefix, yamlString(key), value[key], indent);
  }
}

function emitKeyValue(out: TextSink, prefix: string, key: string, v: unknown, indent: string): void {
  const s = scalar(v) ?? isEmptyCollection(v);
  if (s !== undefined) {
    out.push(`${prefix}${key}: ${s}\n`);
  } else if (Array.isArray(v)) {
    out.push(`${prefix}${key}:\n`);
    emitSequence(out, v, indent);
  } else {
    out.push(`${prefix}${key}:\n`);
    emitMapping(out, v as Record<string, unknown>, `${indent}  `);
  }
}

/** Appends a sequence whose `- ` sits at `indent` (go-yaml does not indent lists under their key). */
export function emitSequence(out: TextSink, items: readonly unknown[], indent: string): void {
  for (const item of items) {
    const s = scalar(item) ?? isEmptyCollection(item);
    if (s !== undefined) {
      out.push(`${indent}- ${s}\n`);
    } else if (Array.isArray(item)) {
      out.push(`${indent}-\n`);
      emitSequence(out, item, `${indent}  `);
    } else {
      emitMapping(out, item as Record<string, unknown>, `${indent}  `, `${indent}- `);
    }
  }
}
