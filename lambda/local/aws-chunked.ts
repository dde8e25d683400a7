/**
 * Decodes the `aws-chunked` content encoding that S3 clients use for streaming uploads: AWS CLI v2 and the SDKs
 * send it with a trailing checksum (`x-amz-content-sha256: STREAMING-UNSIGNED-PAYLOAD-TRAILER`), older SDKs with
 * per-chunk signatures (`STREAMING-AWS4-HMAC-SHA256-PAYLOAD`). Storing such a body as is would corrupt the object
 * (what s3rver does), so the server decodes it. The framing:
 *
 *   <hex size>[;chunk-signature=<sig>]\r\n<bytes>\r\n ... 0[;chunk-signature=<sig>]\r\n[<name>:<value>\r\n]*\r\n
 */

/** True when the request body is aws-chunked (and must be decoded before storing). */
export function isAwsChunked(headers: { [name: string]: string | string[] | undefined }): boolean {
  const sha = String(headers['x-amz-content-sha256'] ?? '');
  const encoding = String(headers['content-encoding'] ?? '');
  return sha.startsWith('STREAMING-') || encoding.split(',').some((e) => e.trim() === 'aws-chunked');
}

export class AwsChunkedFormatError extends Error {
  override readonly name = 'AwsChunkedFormatError';
}

const CRLF = Buffer.from('\r\n');
const MAX_HEADER_LINE = 4096;

/**
 * Yields the payload bytes of an aws-chunked body; the trailing headers (lower-case names) are put into
 * `trailers` once the body has been read to its end.
 */
export async function* decodeAwsChunked(
  source: AsyncIterable<Uint8Array>,
  trailers: Map<string, string>,
): AsyncGenerator<Buffer> {
  let buffered = Buffer.alloc(0);
  let remaining = -1; // bytes left in the current chunk; -1 = expecting a chunk header line
  let inTrailers = false;
  let finished = false;
  for await (const piece of source) {
    buffered = buffered.length === 0 ? Buffer.from(piece) : Buffer.concat([buffered, piece]);
    while (!finished) {
      if (remaining > 0) {
        if (buffered.length === 0) break;
        const take = Math.min(remaining, buffered.length);
        yield buffered.subarray(0, take);
        buffered = buffered.subarray(take);
        remaining -= take;
        continue;
      }
      if (remaining === 0) {
        // the CRLF after a chunk's bytes
        if (buffered.length < 2) break;
        if (!buffered.subarray(0, 2).equals(CRLF))
          throw new AwsChunkedFormatError('aws-chunked body: expected CRLF after a chunk');
        buffered = buffered.subarray(2);
        remaining = -1;
        continue;
      }
      const end = buffered.indexOf(CRLF);
      if (end < 0) {
        if (buffered.length > MAX_HEADER_LINE)
          throw new AwsChunkedFormatError('aws-chunked body: chunk header line too long');
        break;
      }
      const line = buffered.subarray(0, end).toString('latin1');
      buffered = buffered.subarray(end + 2);
      if (inTrailers) {
        if (line === '') {
          finished = true;
          break;
        }
        const colon = line.indexOf(':');
        if (colon <= 0)
          throw new AwsChunkedFormatError(`aws-chunked body: malformed trailer line ${JSON.stringify(line)}`);
        trailers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
        continue;
      }
      const sizeText = line.split(';')[0].trim();
      if (!/^[0-9a-fA-F]{1,16}$/.test(sizeText)) {
        throw new AwsChunkedFormatError(
          `aws-chunked body: expected a hex chunk size, received ${JSON.stringify(line.slice(0, 40))}`,
        );
      }
      const size = parseInt(sizeText, 16);
      if (size === 0) inTrailers = true;
      else remaining = size;
    }
  }
  // Some clients end the body right after the last chunk or the last trailer, without the final empty line.
  if (!finished && !inTrailers)
    throw new AwsChunkedFormatError('aws-chunked body ended before its final zero-length chunk');
  if (!finished && buffered.length > 0) {
    const line = buffered.toString('latin1').trim();
    const colon = line.indexOf(':');
    if (colon > 0) trailers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
}
