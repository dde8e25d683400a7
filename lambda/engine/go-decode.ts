/**
 * Typed decoding with Helm's semantics: sigs.k8s.io/yaml converts the YAML tree to JSON (numbers and booleans
 * that land in string fields become text) and encoding/json fills the Go struct (case-insensitive field names,
 * unknown fields ignored, null leaves a field as it was, a wrong kind is an error). Also enforces go-yaml's
 * alias-expansion budget, so an alias bomb is rejected after a bounded walk.
 */
import { RejectionFault } from './errors';
import { formatFloat32 } from './go-format';
import type { GoYamlValue } from './go-yaml';

/** The Go type a field decodes into. */
export type FieldSpec =
  'string' | 'bool' | 'time' | 'any' | { readonly list: FieldSpec } | { readonly map: FieldSpec } | StructSpec;

export interface StructSpec {
  /** Go type name, for messages. */
  readonly type: string;
  /** JSON field name -> type. */
  readonly fields: Readonly<Record<string, FieldSpec>>;
}

/** A decoded Go struct: JSON field name -> value; an absent key is Go's zero value. */
export type GoStruct = Record<string, unknown>;

type JsonKind = 'object' | 'array' | 'string' | 'number' | 'bool';

function kindOf(v: GoYamlValue): JsonKind {
  if (Array.isArray(v)) return 'array';
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'bigint':
    case 'number':
      return 'number';
    default:
      return 'object';
  }
}

function goTypeName(spec: FieldSpec): string {
  if (spec === 'string' || spec === 'bool') return spec;
  if (spec === 'time') return 'time.Time';
  if (spec === 'any') return 'interface {}';
  if ('list' in spec) return `[]${goTypeName(spec.list)}`;
  if ('map' in spec) return `map[string]${goTypeName(spec.map)}`;
  return `*${spec.type}`;
}

function typeError(v: GoYamlValue, where: string, spec: FieldSpec): RejectionFault {
  return new RejectionFault(
    'invalid-field-type',
    `cannot unmarshal ${kindOf(v)} into ${where} of type ${goTypeName(spec)}`,
    `${where} to be a ${goTypeName(spec)}`,
  );
}

function nonFinite(where: string): RejectionFault {
  return new RejectionFault('invalid-field-type', `${where} holds a NaN or infinite number`, 'finite numbers');
}

/** Any JSON value: ints become numbers (encoding/json decodes into float64); NaN/Inf cannot be JSON at all. */
function toJsonValue(v: GoYamlValue, where: string): unknown {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw nonFinite(where);
    return v;
  }
  if (Array.isArray(v)) return v.map((item) => toJsonValue(item, where));
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(v).sort()) out[key] = toJsonValue(v[key], where);
  return out;
}

function decodeValue(v: GoYamlValue, spec: FieldSpec, current: unknown, where: string): unknown {
  if (spec === 'string') {
    if (v === null) return current;
    switch (typeof v) {
      case 'string':
        return v;
      case 'bigint':
        return v.toString();
      case 'number':
        return formatFloat32(v);
      case 'boolean':
        return v ? 'true' : 'false';
      default:
        throw typeError(v, where, spec);
    }
  }
  if (spec === 'bool') {
    if (v === null) return current;
    if (typeof v === 'boolean') return v;
    throw typeError(v, where, spec);
  }
  if (spec === 'any') return toJsonValue(v, where);
  if (spec === 'time') {
    if (v === null) return current;
    if (typeof v === 'string' && isRfc3339(v)) return v;
    throw new RejectionFault(
      'invalid-field-type',
      `${where}: cannot parse ${JSON.stringify(String(v))} as an RFC 3339 time`,
      `${where} to be an RFC 3339 time`,
    );
  }
  if (v === null) return undefined; // null sets a slice, map or pointer to nil
  if ('list' in spec) {
    if (!Array.isArray(v)) throw typeError(v, where, spec);
    return v.map((item) => decodeValue(item, spec.list, zeroValue(spec.list), where));
  }
  if ('map' in spec) {
    if (kindOf(v) !== 'object') throw typeError(v, where, spec);
    const map: Record<string, unknown> = { ...((current as Record<string, unknown> | undefined) ?? {}) };
    const obj = v as Record<string, GoYamlValue>;
    for (const key of Object.keys(obj).sort()) {
      map[key] = decodeValue(obj[key], spec.map, zeroValue(spec.map), where);
    }
    return map;
  }
  if (kindOf(v) !== 'object') throw typeError(v, where, spec);
  const target: GoStruct = (current as GoStruct | undefined) ?? {};
  decodeStructInto(target, v as Record<string, GoYamlValue>, spec);
  return target;
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:[Zz]|[+-](\d{2}):(\d{2}))$/;

/** What time.Time's UnmarshalJSON accepts: RFC 3339 with valid ranges. */
export function isRfc3339(s: string): boolean {
  const m = RFC3339.exec(s);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59) return false;
  if (m[7] !== undefined && (Number(m[7]) > 23 || Number(m[8]) > 59)) return false;
  return true;
}

/** A document decoded into map[string]interface{} (values.yaml): null is fine, anything but a mapping is not. */
export function decodeAnyMap(doc: GoYamlValue): void {
  if (doc === null) return;
  if (kindOf(doc) !== 'object') {
    throw new RejectionFault(
      'invalid-field-type',
      `cannot unmarshal ${kindOf(doc)} into Go value of type map[string]interface {}`,
      'a YAML mapping at the top level',
    );
  }
  toJsonValue(doc, 'values');
}

function zeroValue(spec: FieldSpec): unknown {
  return spec === 'string' ? '' : spec === 'bool' ? false : undefined;
}

function findField(spec: StructSpec, key: string): string | undefined {
  if (Object.prototype.hasOwnProperty.call(spec.fields, key)) return key;
  const folded = key.toLowerCase();
  return Object.keys(spec.fields).find((name) => name.toLowerCase() === folded);
}

/** encoding/json into an existing struct: keys in sorted order (json.Marshal sorts them), the last match wins. */
export function decodeStructInto(target: GoStruct, obj: Record<string, GoYamlValue>, spec: StructSpec): void {
  for (const key of Object.keys(obj).sort()) {
    const name = findField(spec, key);
    if (name === undefined) {
      toJsonValue(obj[key], key); // unknown fields are dropped, but must still be valid JSON
      continue;
    }
    const fieldSpec = spec.fields[name];
    const value = decodeValue(obj[key], fieldSpec, target[name], `Go struct field ${spec.type}.${name}`);
    if (value === undefined) delete target[name];
    else target[name] = value;
  }
}

/**
 * Decodes a whole YAML document into `target` (Helm unmarshals Chart.yaml and requirements.yaml into the same
 * Metadata, so later documents override earlier fields). A null document changes nothing.
 */
export function decodeDocument(target: GoStruct, doc: GoYamlValue, spec: StructSpec): void {
  if (doc === null) return;
  if (kindOf(doc) !== 'object') {
    throw new RejectionFault(
      'invalid-field-type',
      `cannot unmarshal ${kindOf(doc)} into Go value of type ${spec.type}`,
      'a YAML mapping at the top level',
    );
  }
  decodeStructInto(target, doc as Record<string, GoYamlValue>, spec);
}

/** go-yaml v2 allowedAliasRatio: 99% of decodes may come from aliases up to 400k decodes, 10% from 4M. */
function allowedAliasRatio(decodes: number): number {
  if (decodes <= 400_000) return 0.99;
  if (decodes >= 4_000_000) return 0.1;
  return 0.99 - 0.89 * ((decodes - 400_000) / 3_600_000);
}

/**
 * Walks the document as go-yaml would decode it (an alias expands its anchor's whole subtree) and fails as
 * go-yaml does with "document contains excessive aliasing". js-yaml shares aliased nodes, so a node met twice
 * is an alias; subtree sizes are memoized, so the walk stays linear in the document size.
 */
export function checkAliasBudget(doc: GoYamlValue): void {
  const sizes = new Map<object, number>();
  let decodes = 0;
  let aliased = 0;
  const exceeded = () => aliased > 100 && decodes > 1000 && aliased / decodes > allowedAliasRatio(decodes);

  const subtreeSize = (root: object): number => {
    // Iterative post-order, so deep documents cannot overflow the stack.
    const stack: Array<{ node: object; expanded: boolean }> = [{ node: root, expanded: false }];
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      if (sizes.has(top.node)) {
        stack.pop();
        continue;
      }
      const children = childrenOf(top.node);
      if (!top.expanded) {
        top.expanded = true;
        for (const c of children) if (!sizes.has(c)) stack.push({ node: c, expanded: false });
        continue;
      }
      let size = 1 + scalarCount(top.node);
      for (const c of children) size += sizes.get(c) ?? 0;
      sizes.set(top.node, size);
      stack.pop();
    }
    return sizes.get(root) ?? 1;
  };

  const seen = new Set<object>();
  const stack: GoYamlValue[] = [doc];
  while (stack.length > 0) {
    const node = stack.pop() as GoYamlValue;
    if (node === null || typeof node !== 'object') {
      decodes++;
      continue;
    }
    if (seen.has(node)) {
      const size = subtreeSize(node);
      decodes += size + 1;
      aliased += size;
      if (exceeded()) {
        throw new RejectionFault(
          'yaml-alias-bomb',
          'document contains excessive aliasing',
          'YAML whose aliases expand to a bounded size (go-yaml alias ratio)',
        );
      }
      continue;
    }
    seen.add(node);
    decodes++;
    if (Array.isArray(node)) {
      for (let i = node.length - 1; i >= 0; i--) stack.push(node[i]);
    } else {
      const keys = Object.keys(node);
      decodes += keys.length; // go-yaml decodes each key as a node too
      for (let i = keys.length - 1; i >= 0; i--) stack.push(node[keys[i]]);
    }
  }
  if (exceeded()) {
    throw new RejectionFault(
      'yaml-alias-bomb',
      'document contains excessive aliasing',
      'YAML whose aliases expand to a bounded size (go-yaml alias ratio)',
    );
  }
}

function childrenOf(node: object): object[] {
  const values = Array.isArray(node) ? node : Object.values(node);
  return values.filter((v): v is object => v !== null && typeof v === 'object');
}

function scalarCount(node: object): number {
  const values: unknown[] = Array.isArray(node) ? node : Object.values(node);
  let n = Array.isArray(node) ? 0 : values.length; // keys
  for (const v of values) if (v === null || typeof v !== 'object') n++;
  return n;
}
