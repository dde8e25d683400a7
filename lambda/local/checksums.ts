/**
 * The S3 additional checksums (`x-amz-checksum-<algorithm>`, base64) that clients send in a header or an
 * aws-chunked trailer. CRC32, SHA-1 and SHA-256 are verified (Node has them built in); CRC32C and CRC64NVME are
 * accepted unverified rather than pulling in a native library for a local server.
 */
import { createHash, type Hash } from 'node:crypto';
import { crc32 } from 'node:zlib';

const ALGORITHMS = ['crc32', 'crc32c', 'crc64nvme', 'sha1', 'sha256'] as const;

export interface ChecksumTap {
  /** Passes the bytes through while hashing them. */
  readonly tap: (source: AsyncIterable<Uint8Array>) => AsyncGenerator<Uint8Array>;
  /** After the body was read: throws when a verified checksum does not match what the client sent. */
  readonly verify: (sent: ReadonlyMap<string, string>) => void;
}

/** A tap computing every checksum that Node can verify. */
export function checksumTap(): ChecksumTap {
  let crc = 0;
  const sha1: Hash = createHash('sha1');
  const sha256: Hash = createHash('sha256');
  return {
    async *tap(source) {
      for await (const chunk of source) {
        crc = crc32(chunk, crc);
        sha1.update(chunk);
        sha256.update(chunk);
        yield chunk;
      }
    },
    verify(sent) {
      const crcBytes = Buffer.alloc(4);
      crcBytes.writeUInt32BE(crc >>> 0);
      const computed: Record<string, string> = {
        crc32: crcBytes.toString('base64'),
        sha1: sha1.digest('base64'),
        sha256: sha256.digest('base64'),
      };
      for (const [name, value] of sent) {
        const algorithm = name.replace(/^x-amz-checksum-/, '');
        if (!name.startsWith('x-amz-checksum-') || !(algorithm in computed)) continue;
        if (computed[algorithm] !== value) {
          throw new Error(
            `the ${algorithm} checksum you sent (${value}) does not match the bytes received (${computed[algorithm]})`,
          );
        }
      }
    },
  };
}

/** The `x-amz-checksum-*` request headers (lower-case names). */
export function checksumHeaders(headers: { [name: string]: string | string[] | undefined }): Map<string, string> {
  const found = new Map<string, string>();
  for (const algorithm of ALGORITHMS) {
    const value = headers[`x-amz-checksum-${algorithm}`];
    if (typeof value === 'string') found.set(`x-amz-checksum-${algorithm}`, value);
  }
  return found;
}
