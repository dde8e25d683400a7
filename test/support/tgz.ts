/**
 * A minimal, synchronous ustar writer and gzip wrapper for test fixtures: builds chart archives in memory, byte
 * for byte as asked (Chart.yaml with a BOM, CRLF, odd entry order, ...), thousands per second. Tests need exact
 * control over the bytes, which `helm package` (it re-serializes Chart.yaml) cannot give.
 */
import { gzipSync } from 'node:zlib';

/** One tar entry. `type` defaults to a regular file ('0'); '2' symlink, '5' directory, 'x' PAX header. */
export interface TarEntry {
  readonly name: string;
  readonly data?: Buffer | string;
  readonly type?: '0' | '1' | '2' | '5' | 'x' | 'g';
  readonly linkName?: string;
  readonly mode?: number;
}

const BLOCK = 512;
const FIXED_MTIME = Math.floor(Date.UTC(2024, 0, 1) / 1000);

function writeString(header: Buffer, value: string, offset: number, length: number): void {
  const bytes = Buffer.from(value, 'utf8');
  if (bytes.length > length) throw new Error(`tar: "${value}" does not fit in ${length} bytes`);
  bytes.copy(header, offset);
}

function writeOctal(header: Buffer, value: number, offset: number, length: number): void {
  writeString(header, value.toString(8).padStart(length - 1, '0'), offset, length - 1);
}

/** Splits a long path into ustar prefix (<=155 bytes) + name (<=100 bytes) at a slash. */
function splitPath(path: string): { prefix: string; name: string } {
  if (Buffer.byteLength(path) <= 100) return { prefix: '', name: path };
  for (let cut = path.lastIndexOf('/'); cut > 0; cut = path.lastIndexOf('/', cut - 1)) {
    const prefix = path.slice(0, cut);
    const name = path.slice(cut + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100) return { prefix, name };
  }
  throw new Error(`tar: path too long for ustar: ${path}`);
}

function header(entry: TarEntry, size: number): Buffer {
  const block = Buffer.alloc(BLOCK);
  const { prefix, name } = splitPath(entry.name);
  const type = entry.type ?? '0';
  writeString(block, name, 0, 100);
  writeOctal(block, entry.mode ?? (type === '5' ? 0o755 : 0o644), 100, 8);
  writeOctal(block, 0, 108, 8); // uid
  writeOctal(block, 0, 116, 8); // gid
  writeOctal(block, size, 124, 12);
  writeOctal(block, FIXED_MTIME, 136, 12);
  block.fill(0x20, 148, 156); // checksum field counts as spaces while summing
  writeString(block, type, 156, 1);
  if (entry.linkName) writeString(block, entry.linkName, 157, 100);
  writeString(block, 'ustar\u000000', 257, 8);
  writeString(block, prefix, 345, 155);
  let sum = 0;
  for (const byte of block) sum += byte;
  writeString(block, `${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 8);
  return block;
}

/** A complete tar stream (entries + two zero blocks). */
export function tarBuffer(entries: readonly TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    const data = entry.data === undefined ? Buffer.alloc(0) : Buffer.from(entry.data);
    parts.push(header(entry, data.length), data);
    const pad = (BLOCK - (data.length % BLOCK)) % BLOCK;
    if (pad) parts.push(Buffer.alloc(pad));
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(parts);
}

/** A gzipped tar, as `helm package` writes them. */
export function tgzBuffer(entries: readonly TarEntry[], level = 6): Buffer {
  return gzipSync(tarBuffer(entries), { level });
}
