/**
 * A fast reader for the plain subset of YAML that Chart.yaml, values.yaml and index.yaml nearly always use:
 * block mappings and sequences, plain and quoted one-line scalars, simple flow sequences, literal block scalars,
 * comments. It yields exactly what loadGoYaml yields (same go-yaml v2 typing) and returns UNSUPPORTED for
 * anything else (anchors, tags, multi-line plain or quoted scalars, folded blocks, documents, tabs, CR, errors),
 * so the caller falls back to js-yaml. js-yaml 5 builds an event list first; this reader is several times faster
 * and allocates far less, which is what makes re-writing a 10,000-version index cheap.
 */
import { formatFloatKey } from './go-format';
import { resolvePlain, type GoYamlValue } from './go-scalar';

export const UNSUPPORTED = Symbol('unsupported YAML');

class Unsupported extends Error {}
const unsupported = new Unsupported();

type Obj = { [key: string]: GoYamlValue };

const MAX_DEPTH = 64;
// Characters YAML readers refuse in a stream (js-yaml and go-yaml both fail on them): leave the error to js-yaml.
const NON_PRINTABLE =
  // eslint-disable-next-line no-control-regex
  /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function isIndicatorStart(c: string): boolean {
  return '-?:,[]{}#&*!|>\'"%@`'.includes(c);
}

/** A plain scalar's key text, as goMapTag turns resolved keys into JSON object keys. */
function keyText(raw: string): string {
  const r = resolvePlain(raw);
  switch (r.tag) {
    case 'str':
      return raw;
    case 'bool':
      return r.value ? 'true' : 'false';
    case 'int':
      return (r.value as bigint).toString();
    case 'float':
      return formatFloatKey(r.value as number);
    default:
      throw unsupported; // null keys are an error: let js-yaml report it
  }
}

function setKey(obj: Obj, key: string, value: GoYamlValue): void {
  if (key === '__proto__')
    Object.defineProperty(obj, key, { value, enumerable: true, configurable: true, writable: true });
  else obj[key] = value;
}

const ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  '\t': '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  N: '\x85',
  _: '\xa0',
  L: '\u2028',
  P: '\u2029',
};
const HEX_LENGTH: Record<string, number> = { x: 2, u: 4, U: 8 };

class Reader {
  /** Where each line starts in `text` (plus one past the end): offsets, not line strings, so that the only
   * strings that outlive a line are the values themselves (fewer survivors for the garbage collector). */
  private readonly starts: Int32Array;
  private readonly lineCount: number;
  private row = 0;
  private cachedRow = -1;
  private cachedLine = '';

  constructor(
    private readonly text: string,
    private readonly maxDepth: number,
  ) {
    let count = 1;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count++;
    const starts = new Int32Array(count + 1);
    let n = 1;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts[n++] = i + 1;
    starts[count] = text.length + 1;
    this.starts = starts;
    this.lineCount = count;
  }

  /** Line `row` without its newline. */
  private lineAt(row: number): string {
    if (row !== this.cachedRow) {
      this.cachedLine = this.text.slice(this.starts[row], this.starts[row + 1] - 1);
      this.cachedRow = row;
    }
    return this.cachedLine;
  }

  /** Skips blank and comment-only lines; returns the next content line's indent, or -1 at the end. */
  private peekIndent(): number {
    while (this.row < this.lineCount) {
      const line = this.lineAt(this.row);
      let i = 0;
      while (i < line.length && line.charCodeAt(i) === 32) i++;
      if (i === line.length || line[i] === '#') {
        this.row++;
        continue;
      }
      return i;
    }
    return -1;
  }

  document(): GoYamlValue {
    const indent = this.peekIndent();
    if (indent === -1) return null;
    if (indent !== 0) throw unsupported;
    const value = this.block(0, 0);
    if (this.peekIndent() !== -1) throw unsupported; // text after the root node: a YAML error
    return value;
  }

  private block(indent: number, depth: number): GoYamlValue {
    if (depth > this.maxDepth) throw unsupported;
    const line = this.lineAt(this.row);
    if (line.startsWith('- ', indent) || (line.length === indent + 1 && line[indent] === '-')) {
      return this.sequence(indent, depth);
    }
    return this.mapping(indent, depth, indent);
  }

  private sequence(indent: number, depth: number): GoYamlValue[] {
    const items: GoYamlValue[] = [];
    while (this.peekIndent() === indent) {
      const line = this.lineAt(this.row);
      if (!(line.startsWith('- ', indent) || (line.length === indent + 1 && line[indent] === '-'))) break;
      let col = indent + 1;
      while (col < line.length && line.charCodeAt(col) === 32) col++;
      if (col >= line.length || line[col] === '#') {
        this.row++;
        items.push(this.nested(indent, depth, false));
      } else if (line[col] === '-' && (line[col + 1] === ' ' || col + 1 === line.length)) {
        throw unsupported; // "- - x"
      } else if (this.startsMapping(line, col)) {
        items.push(this.mapping(col, depth + 1, col));
      } else {
        this.row++;
        items.push(this.inlineValue(line, col, indent));
      }
    }
    return items;
  }

  /** The value of a key or item whose line ended: a deeper block, an indentless sequence, or null. */
  private nested(parentIndent: number, depth: number, allowIndentlessSequence: boolean): GoYamlValue {
    const next = this.peekIndent();
    if (next > parentIndent) return this.block(next, depth + 1);
    if (allowIndentlessSequence && next === parentIndent) {
      const line = this.lineAt(this.row);
      if (line.startsWith('- ', next) || (line.length === next + 1 && line[next] === '-'))
        return this.sequence(next, depth + 1);
    }
    return null;
  }

  /** Whether the text at `col` is `key:` (plain or quoted key followed by ': ' or ':' at the end). */
  private startsMapping(line: string, col: number): boolean {
    return this.keyEnd(line, col) !== -1;
  }

  /** Index just past the key's ':' or -1. */
  private keyEnd(line: string, col: number): number {
    const c = line[col];
    if (c === '"' || c === "'") {
      const close = this.quotedEnd(line, col);
      if (close === -1) return -1;
      let i = close;
      while (line.charCodeAt(i) === 32) i++;
      return line[i] === ':' && (i + 1 === line.length || line[i + 1] === ' ') ? i + 1 : -1;
    }
    if (isIndicatorStart(c)) return -1;
    for (let i = col; i < line.length; i++) {
      if (line[i] === ':' && (i + 1 === line.length || line[i + 1] === ' ')) return i + 1;
      if (line[i] === '#' && line[i - 1] === ' ') return -1;
    }
    return -1;
  }

  private mapping(indent: number, depth: number, firstCol: number): Obj {
    if (depth > this.maxDepth) throw unsupported;
    const obj: Obj = {};
    let col = firstCol;
    for (;;) {
      const line = this.lineAt(this.row);
      const end = this.keyEnd(line, col);
      if (end === -1) throw unsupported;
      const rawKey = line.slice(col, end - 1).trimEnd();
      let key: string;
      if (rawKey[0] === '"' || rawKey[0] === "'") {
        key = this.quoted(rawKey, 0).value;
      } else {
        if (rawKey === '<<' || rawKey === '') throw unsupported; // merge keys: js-yaml handles them
        key = keyText(rawKey);
      }
      let v = end;
      while (v < line.length && line.charCodeAt(v) === 32) v++;
      if (v >= line.length || line[v] === '#') {
        this.row++;
        setKey(obj, key, this.nested(indent, depth, true));
      } else {
        this.row++;
        setKey(obj, key, this.inlineValue(line, v, indent));
      }
      if (this.peekIndent() !== indent) break;
      col = indent;
      const next = this.lineAt(this.row);
      if (next.startsWith('- ', indent) || (next.length === indent + 1 && next[indent] === '-')) break;
    }
    return obj;
  }

  /** A value that starts on the current line at `col` (the row has already advanced past that line). */
  private inlineValue(line: string, col: number, parentIndent: number): GoYamlValue {
    const c = line[col];
    let value: GoYamlValue;
    let rest: number;
    if (c === '"' || c === "'") {
      const q = this.quoted(line, col);
      value = q.value;
      rest = q.end;
    } else if (c === '[') {
      const f = this.flowSequence(line, col);
      value = f.value;
      rest = f.end;
    } else if (c === '{') {
      let i = col + 1;
      while (line.charCodeAt(i) === 32) i++;
      if (line[i] !== '}') throw unsupported;
      value = {};
      rest = i + 1;
    } else if (c === '|') {
      return this.literalBlock(line, col, parentIndent);
    } else if (isIndicatorStart(c) && !(c === '-' && line[col + 1] !== ' ' && col + 1 < line.length)) {
      throw unsupported; // anchors, aliases, tags, folded blocks, "? ", ": "...
    } else {
      let end = line.length;
      const hash = line.indexOf(' #', col);
      if (hash !== -1) end = hash;
      const text = line.slice(col, end).trimEnd();
      if (text.includes(': ') || text.endsWith(':')) throw unsupported;
      // A deeper line after a plain scalar would continue it (multi-line plain): leave that to js-yaml.
      const next = this.peekIndent();
      if (next > parentIndent) throw unsupported;
      return resolvePlain(text).value;
    }
    let i = rest;
    while (line.charCodeAt(i) === 32) i++;
    if (i < line.length && !(line[i] === '#' && line[i - 1] === ' ')) throw unsupported;
    const next = this.peekIndent();
    if (next > parentIndent) throw unsupported;
    return value;
  }

  private quotedEnd(line: string, col: number): number {
    const q = line[col];
    for (let i = col + 1; i < line.length; i++) {
      if (q === "'" && line[i] === "'") {
        if (line[i + 1] === "'") {
          i++;
          continue;
        }
        return i + 1;
      }
      if (q === '"') {
        if (line[i] === '\\') i++;
        else if (line[i] === '"') return i + 1;
      }
    }
    return -1;
  }

  private quoted(line: string, col: number): { value: string; end: number } {
    const end = this.quotedEnd(line, col);
    if (end === -1) throw unsupported; // multi-line quoted scalar
    const body = line.slice(col + 1, end - 1);
    if (line[col] === "'") return { value: body.replace(/''/g, "'"), end };
    if (!body.includes('\\')) return { value: body, end };
    let out = '';
    for (let i = 0; i < body.length; i++) {
      const ch = body[i];
      if (ch !== '\\') {
        out += ch;
        continue;
      }
      const e = body[++i];
      const simple = ESCAPES[e];
      if (simple !== undefined) {
        out += simple;
        continue;
      }
      const n = HEX_LENGTH[e];
      if (n === undefined) throw unsupported;
      const hex = body.slice(i + 1, i + 1 + n);
      if (hex.length !== n || !/^[0-9a-fA-F]+$/.test(hex)) throw unsupported;
      const code = parseInt(hex, 16);
      if (code > 0x10ffff) throw unsupported;
      out += code > 0xffff ? String.fromCodePoint(code) : String.fromCharCode(code);
      i += n;
    }
    return { value: out, end };
  }

  private flowSequence(line: string, col: number): { value: GoYamlValue[]; end: number } {
    const close = line.indexOf(']', col);
    if (close === -1) throw unsupported;
    const inner = line.slice(col + 1, close);
    if (/[[\]{}#"'&*!|>%@`]/.test(inner) || inner.includes(':')) throw unsupported;
    if (inner.trim() === '') return { value: [], end: close + 1 };
    const items = inner.split(',').map((s) => s.trim());
    if (items.some((s) => s === '' || (isIndicatorStart(s[0]) && !(s[0] === '-' && s.length > 1 && s[1] !== ' '))))
      throw unsupported;
    return { value: items.map((s) => resolvePlain(s).value), end: close + 1 };
  }

  /** `|`, `|-` or `|+` with the indentation detected from the first non-empty line. */
  private literalBlock(line: string, col: number, parentIndent: number): string {
    const header = line
      .slice(col + 1)
      .replace(/\s+#.*$/, '')
      .trimEnd();
    if (header !== '' && header !== '-' && header !== '+') throw unsupported;
    const content: string[] = [];
    let blockIndent = -1;
    while (this.row < this.lineCount) {
      const l = this.lineAt(this.row);
      let i = 0;
      while (i < l.length && l.charCodeAt(i) === 32) i++;
      if (i === l.length) {
        if (blockIndent !== -1 && i > blockIndent) {
          content.push(l.slice(blockIndent));
        } else {
          if (blockIndent === -1 && i > 0) throw unsupported; // spaces-only lines before the text: indentation rules
          content.push('');
        }
        this.row++;
        continue;
      }
      if (blockIndent === -1) {
        if (i <= parentIndent) break;
        blockIndent = i;
      } else if (i < blockIndent) {
        if (i > parentIndent) throw unsupported;
        break;
      }
      if (l.indexOf('\t') !== -1 && l.indexOf('\t') < blockIndent) throw unsupported;
      content.push(l.slice(blockIndent));
      this.row++;
    }
    // Trailing empty lines belong to chomping, not to the text.
    let last = content.length;
    while (last > 0 && content[last - 1] === '') last--;
    const text = content.slice(0, last).join('\n');
    if (header === '-') return text;
    if (header === '+') {
      if (last === 0) throw unsupported;
      return `${text}\n${'\n'.repeat(content.length - last)}`;
    }
    return last === 0 ? '' : `${text}\n`;
  }
}

/** The document's value, or UNSUPPORTED when the text needs the full YAML parser. */
export function fastLoadYaml(text: string, maxDepth: number): GoYamlValue | typeof UNSUPPORTED {
  if (text.includes('\r') || text.includes('\t') || text.charCodeAt(0) === 0xfeff || NON_PRINTABLE.test(text))
    return UNSUPPORTED;
  if (/^(?:---|\.\.\.|%)/m.test(text)) return UNSUPPORTED;
  try {
    return new Reader(text, Math.min(MAX_DEPTH, maxDepth)).document();
  } catch (error) {
    if (error === unsupported) return UNSUPPORTED;
    throw error;
  }
}
