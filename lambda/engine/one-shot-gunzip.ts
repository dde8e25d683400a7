/**
 * The fast path for an archive already in memory (a local file, a small S3 object): one gunzip call on libuv's
 * thread pool with an output buffer sized from the gzip trailer, and the sha256 digest computed on the thread
 * pool alongside, so the main thread only walks the tar. Streaming through small chunks costs about twice the
 * CPU (a thread-pool round trip and a buffer per 64 KiB) and keeps the main thread busy.
 *
 * This path only answers when the result cannot differ from the streaming GoGunzip path: it returns undefined
 * (the caller then streams) for anything unusual: no gzip magic, a trailer size above the cap, several members,
 * trailing bytes, a CRC or length mismatch, any zlib error.
 */
import { webcrypto } from 'node:crypto';
import { gunzip } from 'node:zlib';

/** Inflated size (from the trailer) above which archives stream instead: bounds memory per archive. */
export const ONE_SHOT_MAX_INFLATED_BYTES = 16 * 1024 * 1024;

/** The inflated size a single-member gzip declares in its trailer (ISIZE), or undefined if not usable. */
function declaredSize(data: Buffer): number | undefined {
  if (data.length < 18 || data[0] !== 0x1f || data[1] !== 0x8b || data[2] !== 0x08) return undefined;
  const size = data.readUInt32LE(data.length - 4);
  return size > 0 && size <= ONE_SHOT_MAX_INFLATED_BYTES ? size : undefined;
}

/** The whole inflated content, or undefined when the streaming path must decide. */
export function inflateWhole(data: Buffer): Promise<Buffer | undefined> {
  const size = declaredSize(data);
  if (size === undefined) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    // maxOutputLength: a second member or a lying trailer overflows it and fails, which sends us to streaming.
    // chunkSize one byte more than the output: node's zlib takes a full output buffer to mean "maybe more", and
    // would allocate a second buffer of chunkSize and go round the thread pool again to find nothing.
    gunzip(data, { chunkSize: Math.max(64, size + 1), maxOutputLength: size }, (error, out) =>
      resolve(error || out.length !== size ? undefined : out),
    );
  });
}

/** sha256 of `data`, lowercase hex, computed off the main thread. */
export async function sha256Hex(data: Buffer): Promise<string> {
  return Buffer.from(await webcrypto.subtle.digest('SHA-256', data)).toString('hex');
}
