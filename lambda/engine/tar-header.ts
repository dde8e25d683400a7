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

/** The numeric fields: offset, length, name; the last two (devmajor, devminor) in USTAR and GNU headers only. */
const NUMERIC_FIELDS: readonly (readonly [number, number, string])[] = [
  [100, 8, 'mode'],
  [108, 8, 'uid'],
  [116, 8, 'gid'],
  [124, 12, 'size'],
  [136, 12, 'mtime'],
  [329, 8, 'devmajor'],
  [337, 8, 'devminor'],
];

/**
 * Parses the block at `b[at, at + 512)`; undefined for a zero block (two end an archive). `first`: no entry came
 * before it, so a bad checksum means the content is not a tar archive at all. `afterZeroBlock`: Go's reader
 * takes anything but a second zero block there as a corrupt archive.
 */
export function parseTarHeader(b: Buffer, at: number, first: boolean, afterZeroBlock: boolean): TarHeader | undefined {
  // Go accepts the unsigned and the signed byte sum, the checksum field itself counted as eight spaces.
  let unsigned = 8 * 0x20;
  let high = 0;
  for (let i = at; i < at + BLOCK; i++) {
    if (i === at + 148) i += 8;
    const c = b[i];
    unsigned += c;
    if (c > 127) high++;
  }
  if (unsigned === 8 * 0x20 && b.readUInt32LE(at + 148) === 0 && b.readUInt32LE(at + 152) === 0) {
    return undefined; // every byte is zero
  }
  if (afterZeroBlock) throw corrupt('invalid tar header (data after a zero block)');
  // Go reads the checksum as octal only (no base-256); a field it cannot read matches no sum.
  let stored = NaN;
  try {
    if ((b[at + 148] & 0x80) === 0) stored = parseNumeric(b, at + 148, 8, 'checksum');
  } catch {
    // unreadable: stays NaN
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
  const ustar = hasBytes(b, at + 257, USTAR_MAGIC);
  const gnu = !ustar && hasBytes(b, at + 257, GNU_MAGIC);
  let name = cString(b, at, 100);
  if (ustar) {
    const prefix = cString(b, at + 345, hasBytes(b, at + 508, STAR_TRAILER) ? 131 : 155);
    if (prefix !== '') name = `${prefix}/${name}`;
  }
  // Go parses every numeric field, so a malformed one fails the archive even where Helm never looks at it.
  let mode = 0;
  let size = 0;
  const fields = ustar || gnu ? NUMERIC_FIELDS.length : NUMERIC_FIELDS.length - 2;
  for (let f = 0; f < fields; f++) {
    const [offset, length, field] = NUMERIC_FIELDS[f];
    const value = parseNumeric(b, at + offset, length, field); // one call site, so the optimizing compiler inlines it
    if (field === 'mode') mode = value;
    else if (field === 'size') size = value;
  }
  return { name, type: String.fromCharCode(b[at + 156]), mode, size };
}
