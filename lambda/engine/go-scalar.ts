/**
 * go-yaml v2's resolution of plain scalars (resolve.go), which Helm's Chart.yaml typing rests on: YAML 1.1
 * booleans (`yes`, `on`, `y`), octal `0755`, `1_000`, floats only in YAML form, timestamps left as text.
 */
/** A YAML value as go-yaml hands it over: ints as bigint, floats as number, maps as plain objects. */
export type GoYamlValue = null | boolean | bigint | number | string | GoYamlValue[] | { [key: string]: GoYamlValue };

export type Resolved = { readonly tag: 'null' | 'bool' | 'int' | 'float' | 'str'; readonly value: GoYamlValue };

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

/** Characters outside every int and float form go-yaml accepts (base prefixes, exponents, underscores, sign). */
const NOT_A_NUMBER = /[^0-9a-fA-FxXoO_+.-]/;
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
  // Versions, digests, dates: text that no number form can match (two dots, or other characters) stays text.
  if (NOT_A_NUMBER.test(s) || s.indexOf('.') !== s.lastIndexOf('.')) return { tag: 'str', value: s };
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
