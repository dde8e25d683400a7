/**
 * YAML loading with go-yaml v2 semantics, as Helm reads Chart.yaml (sigs.k8s.io/yaml over go.yaml.in/yaml/v2):
 * YAML 1.1 plain scalars (`yes`/`on`/`y` are booleans, `0755` is octal, `1_000` is 1000, timestamps stay text),
 * ints kept exact as bigint (they become text in string fields), floats as number. js-yaml does the parsing.
 */
import {
  FAILSAFE_SCHEMA,
  NOT_RESOLVED,
  defineMappingTag,
  defineScalarTag,
  loadAll,
  mergeTag,
  seqTag,
  strTag,
} from 'js-yaml';
import { formatFloatKey } from './go-format';

/** A YAML value as go-yaml hands it over: ints as bigint, floats as number, maps as plain objects. */
export type GoYamlValue = null | boolean | bigint | number | string | GoYamlValue[] | { [key: string]: GoYamlValue };

type Resolved = { readonly tag: 'null' | 'bool' | 'int' | 'float' | 'str'; readonly value: GoYamlValue };

const SPECIAL: Record<string, Resolved> = {};
for (const [tag, value, words] of [
  ['bool', true, 'y Y yes Yes YES true True TRUE on On ON'],
  ['bool', false, 'n N no No NO false False FALSE off Off OFF'],
  ['null', null, '~ null Null NULL'],
  ['float', NaN, '.nan .NaN .NAN'],
  ['float', Infinity, '.inf .Inf .INF +.inf +.Inf +.INF'],
  ['float', -Infinity, '-.inf -.Inf -.INF'],
] as const) {
  for (const word of words.split(' ')) SPECIAL[word] = { tag, value };
}
SPECIAL[''] = { tag: 'null', value: null };

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;
const GO_INT = /^([+-]?)(?:0[xX]([0-9a-fA-F]+)|0[oO]([0-7]+)|0[bB]([01]+)|(0[0-7]*)|([1-9][0-9]*))$/;
const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const DOT_FLOAT = /^\.[0-9]+([eE][-+]?[0-9]+)?$/;

/** strconv.ParseInt(s, 0, 64), then ParseUint(s, 0, 64): base prefixes 0x, 0o, 0b and a leading 0 (octal). */
function parseGoInt(s: string): bigint | undefined {
  const m = GO_INT.exec(s);
  if (!m) return undefined;
  const [, sign, hex, oct, bin, leadingZero, dec] = m;
  let v: bigint;
  if (hex !== undefined) v = BigInt(`0x${hex}`);
  else if (oct !== undefined) v = BigInt(`0o${oct}`);
  else if (bin !== undefined) v = BigInt(`0b${bin}`);
  else if (leadingZero !== undefined) v = leadingZero.length > 1 ? BigInt(`0o${leadingZero.slice(1)}`) : 0n;
  else v = BigInt(dec);
  if (sign === '-') v = -v;
  if (v >= INT64_MIN && v <= INT64_MAX) return v;
  if (sign === '' && v <= UINT64_MAX) return v; // ParseUint takes no sign
  return undefined;
}

/** go-yaml v2 resolve() for a plain (unquoted, untagged) scalar. */
export function resolvePlain(s: string): Resolved {
  const c = s.charCodeAt(0);
  const isDigit = c >= 48 && c <= 57;
  const hinted = s === '' || isDigit || c === 43 || c === 45 || c === 46 || 'yYnNtTfFoO~'.includes(s[0]);
  if (!hinted) return { tag: 'str', value: s };
  const special = SPECIAL[s];
  if (special) return special;
  if (c === 46) {
    if (DOT_FLOAT.test(s)) return { tag: 'float', value: Number(s) };
  } else if (isDigit || c === 43 || c === 45) {
    // A timestamp (YYYY-...) matches none of the number forms below, so it stays text, as go-yaml keeps it.
    const plain = s.includes('_') ? s.replace(/_/g, '') : s;
    const i = parseGoInt(plain);
    if (i !== undefined) return { tag: 'int', value: i };
    if (YAML_FLOAT.test(plain)) {
      const f = Number(plain);
      if (Number.isFinite(f)) return { tag: 'float', value: f };
    }
    const bin = /^(-?)0b([01]+)$/.exec(plain);
    if (bin) {
      const v = BigInt(`0b${bin[2]}`) * (bin[1] ? -1n : 1n);
      if (v >= INT64_MIN && v <= UINT64_MAX) return { tag: 'int', value: v };
    }
  }
  return { tag: 'str', value: s };
}

let lastSource: string | undefined;
let lastResolved: Resolved = { tag: 'str', value: '' };
function cachedResolve(s: string): Resolved {
  if (s !== lastSource) {
    lastResolved = resolvePlain(s);
    lastSource = s;
  }
  return lastResolved;
}

const NUMBER_FIRST = [...'0123456789+-.'];
/** First characters a plain scalar of each type can start with, so js-yaml tries only the likely resolvers. */
const FIRST_CHARS: Record<'null' | 'bool' | 'int' | 'float', readonly string[]> = {
  null: ['', '~', 'n', 'N'],
  bool: [...'yYnNtTfFoO'],
  int: NUMBER_FIRST,
  float: NUMBER_FIRST,
};

function scalarTag(tag: 'null' | 'bool' | 'int' | 'float') {
  return defineScalarTag<GoYamlValue>(`tag:yaml.org,2002:${tag}`, {
    implicit: true,
    implicitFirstChars: FIRST_CHARS[tag],
    resolve: (source) => {
      const r = cachedResolve(source);
      if (r.tag === tag) return r.value;
      // An explicit !!float accepts an int and converts it, as go-yaml does.
      if (tag === 'float' && r.tag === 'int') return Number(r.value);
      return NOT_RESOLVED;
    },
    identify: () => false,
  });
}

/** A map key as sigs.k8s.io/yaml turns it into a JSON object key. */
function goKey(key: unknown): string | undefined {
  switch (typeof key) {
    case 'string':
      return key;
    case 'bigint':
      return key.toString();
    case 'number':
      return formatFloatKey(key);
    case 'boolean':
      return key ? 'true' : 'false';
    default:
      return undefined;
  }
}

const goMapTag = defineMappingTag<Record<string, GoYamlValue>>('tag:yaml.org,2002:map', {
  create: () => ({}),
  identify: () => false,
  addPair: (map, key, value) => {
    const k = goKey(key);
    if (k === undefined) return `unsupported map key ${key === null ? 'null' : typeof key}`;
    if (k === '__proto__') {
      Object.defineProperty(map, k, { value, enumerable: true, configurable: true, writable: true });
    } else {
      map[k] = value as GoYamlValue;
    }
    return '';
  },
  has: (map, key) => {
    const k = goKey(key);
    return k !== undefined && Object.prototype.hasOwnProperty.call(map, k);
  },
  keys: (map) => Object.keys(map),
  get: (map, key) => {
    const k = goKey(key);
    return k !== undefined && Object.prototype.hasOwnProperty.call(map, k) ? map[k] : null;
  },
});

const binaryTag = defineScalarTag<string>('tag:yaml.org,2002:binary', {
  resolve: (source) => Buffer.from(source.replace(/\s+/g, ''), 'base64').toString('utf8'),
  identify: () => false,
});

const GO_YAML_SCHEMA = FAILSAFE_SCHEMA.withTags(
  strTag,
  seqTag,
  goMapTag,
  scalarTag('null'),
  scalarTag('bool'),
  scalarTag('int'),
  scalarTag('float'),
  mergeTag,
  binaryTag,
);

export interface GoYamlOptions {
  readonly filename: string;
  readonly maxDepth: number;
}

/**
 * The first document of `text` (go-yaml's Unmarshal reads one), or null when there is none.
 * Throws js-yaml's YAMLException on syntax errors and when nesting passes `maxDepth`.
 */
export function loadGoYaml(text: string, options: GoYamlOptions): GoYamlValue {
  const docs = loadAll(text, {
    schema: GO_YAML_SCHEMA,
    json: true, // go-yaml v2 (non-strict) lets a repeated key override, it does not fail
    filename: options.filename,
    maxDepth: options.maxDepth,
  });
  return docs.length === 0 ? null : (docs[0] as GoYamlValue);
}
