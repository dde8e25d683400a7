/**
 * A validating scanner over JSON bytes: it finds where values start and end without building them, so a large
 * document can be checked and spliced without JSON.parse or decoding it into one string. The grammar is RFC 8259,
 * exactly what JSON.parse accepts (UTF-8 validity is the caller's one check over the whole buffer). Anything else
 * throws NOT_RECOGNISED: callers then take their full path, which reports the real problem.
 */

/** Thrown (one shared instance: no stack capture) when the bytes are not what the scanner recognises. */
export const NOT_RECOGNISED = new Error('not recognised by the JSON byte scanner');

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Nesting deeper than this is not an index shape; bail out before recursion could overflow the stack. */
const MAX_DEPTH = 256;

/** `\"` `\\` `\/` `\b` `\f` `\n` `\r` `\t` (`\u` is handled on its own). */
const SIMPLE_ESCAPE = new Uint8Array(256);
for (const c of '"\\/bfnrt') SIMPLE_ESCAPE[c.charCodeAt(0)] = 1;

const HEX = new Uint8Array(256);
for (const c of '0123456789abcdefABCDEF') HEX[c.charCodeAt(0)] = 1;

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

export function notRecognised(): never {
  throw NOT_RECOGNISED;
}

/** The position after the escape sequence whose backslash is at p. */
export function escapeEnd(b: Uint8Array, p: number): number {
  const e = b[p + 1];
  if (SIMPLE_ESCAPE[e] === 1) return p + 2;
  if (e === 0x75 && HEX[b[p + 2]] && HEX[b[p + 3]] && HEX[b[p + 4]] && HEX[b[p + 5]]) return p + 6;
  return notRecognised();
}

/**
 * The position of the first byte at or after p that is not JSON whitespace (space, tab, LF, CR: the only ones
 * JSON.parse allows). Tiny on purpose, like stringEnd: called per token, V8 optimizes it after a few hundred
 * calls, long before it would optimize a scanner with the loop written inline.
 */
export function skipWs(b: Uint8Array, p: number): number {
  let c: number;
  while ((c = b[p]) === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) p++;
  return p;
}

/** The position after the string whose opening quote is at p: no raw control bytes, valid escapes only. */
export function stringEnd(b: Uint8Array, p: number): number {
  if (b[p] !== QUOTE) notRecognised();
  p++;
  for (;;) {
    const c = b[p];
    if (c >= 0x20 && c !== QUOTE && c !== BACKSLASH) p++;
    else if (c === QUOTE) return p + 1;
    else if (c === BACKSLASH) p = escapeEnd(b, p);
    else notRecognised(); // a raw control byte, or the end of the input
  }
}

export class JsonScanner {
  constructor(readonly bytes: Buffer) {}

  /** Skips JSON whitespace. */
  ws(p: number): number {
    return skipWs(this.bytes, p);
  }

  /** `byte` at p, then whitespace; returns the position after both. */
  expect(p: number, byte: number): number {
    if (this.bytes[p] !== byte) notRecognised();
    return skipWs(this.bytes, p + 1);
  }

  /** A string starting at p (its opening quote); returns the position after the closing quote. */
  string(p: number): number {
    return stringEnd(this.bytes, p);
  }

  /** A number starting at p (JSON's grammar: no leading zeros, no `+`, digits on both sides of a `.`). */
  number(p: number): number {
    const b = this.bytes;
    if (b[p] === 0x2d) p++;
    if (b[p] === 0x30) p++;
    else if (b[p] >= 0x31 && b[p] <= 0x39) while (isDigit(b[p])) p++;
    else notRecognised();
    if (b[p] === 0x2e) {
      p++;
      if (!isDigit(b[p])) notRecognised();
      while (isDigit(b[p])) p++;
    }
    if (b[p] === 0x65 || b[p] === 0x45) {
      p++;
      if (b[p] === 0x2b || b[p] === 0x2d) p++;
      if (!isDigit(b[p])) notRecognised();
      while (isDigit(b[p])) p++;
    }
    return p;
  }

  /** True when the bytes at p spell `word` (ASCII). */
  matches(p: number, word: string): boolean {
    const b = this.bytes;
    for (let i = 0; i < word.length; i++) if (b[p + i] !== word.charCodeAt(i)) return false;
    return true;
  }

  /** Any JSON value starting at p; returns the position after it. */
  value(p: number, depth = 0): number {
    const b = this.bytes;
    switch (b[p]) {
      case QUOTE:
        return this.string(p);
      case 0x7b: // {
        return this.object(p, depth + 1);
      case 0x5b: // [
        return this.array(p, depth + 1);
      case 0x74: // t
        if (this.matches(p, 'true')) return p + 4;
        return notRecognised();
      case 0x66: // f
        if (this.matches(p, 'false')) return p + 5;
        return notRecognised();
      case 0x6e: // n
        if (this.matches(p, 'null')) return p + 4;
        return notRecognised();
      default:
        return this.number(p);
    }
  }

  private object(p: number, depth: number): number {
    if (depth > MAX_DEPTH) notRecognised();
    p = this.expect(p, 0x7b);
    if (this.bytes[p] === 0x7d) return p + 1;
    for (;;) {
      p = this.ws(this.string(p));
      p = this.expect(p, 0x3a);
      p = this.ws(this.value(p, depth));
      if (this.bytes[p] === 0x7d) return p + 1;
      p = this.expect(p, 0x2c);
    }
  }

  private array(p: number, depth: number): number {
    if (depth > MAX_DEPTH) notRecognised();
    p = this.expect(p, 0x5b);
    if (this.bytes[p] === 0x5d) return p + 1;
    for (;;) {
      p = this.ws(this.value(p, depth));
      if (this.bytes[p] === 0x5d) return p + 1;
      p = this.expect(p, 0x2c);
    }
  }

  /** The text of the string spanning [start, end) (quotes included). */
  text(start: number, end: number): string {
    if (this.isPlain(start, end)) return this.bytes.toString('latin1', start + 1, end - 1);
    return JSON.parse(this.bytes.toString('utf8', start, end)) as string;
  }

  private isPlain(start: number, end: number): boolean {
    const b = this.bytes;
    for (let i = start + 1; i < end - 1; i++) if (b[i] >= 0x80 || b[i] === BACKSLASH) return false;
    return true;
  }

  /** True when [aStart, aEnd) and [bStart, bEnd) hold the same bytes. */
  same(aStart: number, aEnd: number, bStart: number, bEnd: number): boolean {
    if (aEnd - aStart !== bEnd - bStart) return false;
    const b = this.bytes;
    for (let i = 0; i < aEnd - aStart; i++) if (b[aStart + i] !== b[bStart + i]) return false;
    return true;
  }
}
