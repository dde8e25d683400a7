/**
 * The full YAML parser: js-yaml with go-yaml v2 typing (see ./go-yaml), for the text ./fast-yaml does not take.
 * Loaded on first use only (./go-yaml): building js-yaml and this schema is start-up work most runs never need.
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
import { resolvePlain, type GoYamlValue, type Resolved } from './go-scalar';
import type { GoYamlOptions } from './go-yaml';

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

/**
 * The first document of `text` (go-yaml's Unmarshal reads one), or null when there is none.
 * Throws js-yaml's YAMLException on syntax errors and when nesting passes `maxDepth`.
 */
export function loadGoYamlWithJsYaml(text: string, options: GoYamlOptions): GoYamlValue {
  const docs = loadAll(text, {
    schema: GO_YAML_SCHEMA,
    json: true, // go-yaml v2 (non-strict) lets a repeated key override, it does not fail
    filename: options.filename,
    maxDepth: options.maxDepth,
  });
  return docs.length === 0 ? null : (docs[0] as GoYamlValue);
}
