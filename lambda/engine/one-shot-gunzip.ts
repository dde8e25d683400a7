/**
 * The fast path for an archive already in memory (a local file, a small S3 object): one gunzip call with an
 * output buffer sized from the gzip trailer, on the calling thread. Streaming through small chunks costs about
 * twice the CPU (a thread-pool round trip and a buffer per 64 KiB). Callers that want several cores read archives
 * on several threads (the CLI uses worker threads): one thread per archive beats passing each archive's work
 * between the main thread and libuv's pool (measured on 2 cores: 1,000 archives of 200 KB in 1.1 s instead of
 * 1.7 s).
 *
 * This path only answers when the result cannot differ from the streaming GoGunzip path: it returns undefined
 * (the caller then streams) for anything unusual: no gzip magic, a trailer size above the cap, several members,
 * trailing bytes, a CRC or length mismatch, any zlib error.
 */
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';

/** Inflated size (from the trailer) above which archives stream instead: bounds memory per archive. */
export const ONE_SHOT_MAX_INFLATED_BYTES = 16 * 1024 * 1024;

/** The inflated size a single-member gzip declares in its trailer (ISIZE), or undefined if not usable. */
function declaredSize(data: Buffer): number | undefined {
  if (data.length < 18 || data[0] !== 0x1f || data[1] !== 0x8b || data[2] !== 0x08) return undefined;
  const size = data.readUInt32LE(data.length - 4);
  return size > 0 && size <= ONE_SHOT_MAX_INFLATED_BYTES ? size : undefined;
}

/** The whole inflated content, or undefined when the streaming path must decide. */
export function inflateWhole(data: Buffer): Buffer | undefined {
  const size = declaredSize(data);
  if (size === undefined) return undefined;
  try {
    // maxOutputLength: a second member or a lying trailer overflows it and fails, which sends us to streaming.
    // chunkSize one byte more than the output: node's zlib takes a full output buffer to mean "maybe more", and
    // would allocate a second buffer of chunkSize to find nothing.
    const out = gunzipSync(data, { chunkSize: Math.max(64, size + 1), maxOutputLength: size });
    return out.length === size ? out : undefined;
  } catch {
    return undefined;
  }
}

/** sha256 of `data`, lowercase hex. */
export function sha256Hex(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
