/**
 * One 512-byte tar header block, parsed and checked as Go's archive/tar reads it (Helm's loader uses it): the
 * checksum, the numeric fields (octal, or GNU base-256), the USTAR name prefix. PAX records and GNU long names are
 * applied by ./tar-walker, which calls this for every block that starts an entry.
 *
 * Every entry of every archive passes through parseTarHeader: it is the engine's hottest JavaScript, and
 * `chart-repo index` lets V8's optimizing compiler work on this function alone while it reads archives
 * (lambda/cli/v8-settings.ts). Keep the per-header work inside it; what it calls should be small enough to inline.
 */
import { RejectionFault } from './errors';

export const BLOCK = 512;

/** A header as stored, before PAX records and GNU long names apply. */
export interface TarHeader {
  /** The name field, with the USTAR prefix joined. */
  readonly name: string;
  /** The typeflag as stored ('\0' not yet mapped). */
  readonly type: string;
  readonly mode: number;
  readonly size: number;
}

export function corrupt(reason: string): RejectionFault {
  return new RejectionFault(
    'corrupt-tar',
    `archive/tar: ${reason}`,
    'a well-formed tar archive inside the gzip stream',
  );
}

const USTAR_MAGIC = [0x75, 0x73, 0x74, 0x61, 0x72, 0x00]; // "ustar\0"
const GNU_MAGIC = [0x75, 0x73, 0x74, 0x61, 0x72, 0x20, 0x20, 0x00]; // "ustar  \0" (magic and version)
const STAR_TRAILER = [0x74, 0x61, 0x72, 0x00]; // "tar\0"

function hasBytes(h: Buffer, at: number, bytes: readonly number[]): boolean {
  for (let i = 0; i < bytes.length; i++) if (h[at + i] !== bytes[i]) return false;
  return true;
}

export function cString(b: Buffer, start: number, length: number): string {
  const end = b.indexOf(0, start);
  return b.toString('utf8', start, end === -1 || end > start + length ? start + length : end);
}

/** GNU base-256: big-endian two's complement, the first byte's high bit the marker. Rare, so kept out of line. */
function parseBase256(b: Buffer, start: number, length: number, field: string): number {
  const negative = (b[start] & 0x40) !== 0;
  let v = 0n;
  for (let i = 0; i < length; i++) {
    let byte = b[start + i];
    if (negative) byte ^= 0xff;
    if (i === 0) byte &= 0x7f;
    v = (v << 8n) | BigInt(byte);
  }
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw corrupt(`${field} field out of range`);
  return negative ? -Number(v) - 1 : Number(v);
}

/** Go's parseNumeric: base-256 when the high bit is set, otherwise octal with spaces/NULs trimmed. */
function parseNumeric(b: Buffer, start: number, length: number, field: string): number {
  if ((b[start] & 0x80) !== 0) return parseBase256(b, start, length, field);
  let i = start;
  let end = start + length;
  while (i < end && (b[i] === 0x20 || b[i] === 0)) i++;
  while (end > i && (b[end - 1] === 0x20 || b[end - 1] === 0)) end--;
  let v = 0;
  for (; i < end; i++) {
    const d = b[i] - 0x30;
    if (d < 0 || d > 7) throw corrupt(`invalid ${field} field`);
    v = v * 8 + d;
  }
  if (!Number.isSafeInteger(v)) throw corrupt(`${field} field out of range`);
  return v;
}

/** Two zero blocks end an archive. */
export function isZeroBlock(h: Buffer): boolean {
  for (let i = 0; i < BLOCK; i++) if (h[i] !== 0) return false;
  return true;
}

/**
 * Parses a block that is not a zero block. `first`: no entry came before it, so a bad checksum means the content
 * is not a tar archive at all.
 */
export function parseTarHeader(h: Buffer, first: boolean): TarHeader {
  // Go accepts the unsigned and the signed byte sum, the checksum field itself counted as eight spaces.
  let unsigned = 8 * 0x20;
  let high = 0;
  for (let i = 0; i < BLOCK; i++) {
    if (i === 148) i = 156;
    const c = h[i];
    unsigned += c;
    if (c > 127) high++;
  }
  let stored = -1;
  try {
    stored = parseNumeric(h, 148, 8, 'checksum');
  } catch {
    // an unreadable checksum field is a mismatch
  }
  if (stored !== unsigned && stored !== unsigned - 256 * high) {
    if (first) {
      throw new RejectionFault(
        'not-tar',
        'the gzip content is not a tar archive (invalid tar header)',
        'a gzipped tar archive (.tgz)',
      );
    }
    throw corrupt('invalid tar header (checksum mismatch)');
  }
  // Go's getFormat: "ustar\0" is USTAR/PAX (STAR when the block ends in "tar\0"), "ustar  \0" is GNU.
  const ustar = hasBytes(h, 257, USTAR_MAGIC);
  const gnu = !ustar && hasBytes(h, 257, GNU_MAGIC);
  let name = cString(h, 0, 100);
  if (ustar) {
    const prefix = cString(h, 345, hasBytes(h, 508, STAR_TRAILER) ? 131 : 155);
    if (prefix !== '') name = `${prefix}/${name}`;
  }
  const mode = parseNumeric(h, 100, 8, 'mode');
  parseNumeric(h, 108, 8, 'uid');
  parseNumeric(h, 116, 8, 'gid');
  const size = parseNumeric(h, 124, 12, 'size');
  parseNumeric(h, 136, 12, 'mtime');
  if (ustar || gnu) {
    parseNumeric(h, 329, 8, 'devmajor');
    parseNumeric(h, 337, 8, 'devminor');
  }
  return { name, type: String.fromCharCode(h[156]), mode, size };
}
