import { decodeAwsChunked, isAwsChunked, AwsChunkedFormatError } from '../../lambda/local/aws-chunked';

async function decode(pieces: Buffer[]): Promise<{ body: string; trailers: Map<string, string> }> {
  const trailers = new Map<string, string>();
  const out: Buffer[] = [];
  for await (const chunk of decodeAwsChunked(
    (async function* () {
      yield* pieces;
    })(),
    trailers,
  )) {
    out.push(chunk);
  }
  return { body: Buffer.concat(out).toString(), trailers };
}

/** Splits a buffer into one-byte pieces: every state of the decoder sees a boundary. */
const bytewise = (text: string) => [...Buffer.from(text)].map((byte) => Buffer.from([byte]));

describe('decodeAwsChunked', () => {
  const unsigned = '5\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n';
  const signed =
    '5;chunk-signature=aaaa\r\nhello\r\n6;chunk-signature=bbbb\r\n world\r\n0;chunk-signature=cccc\r\n\r\n';

  it('decodes an unsigned body with a trailing checksum, however the bytes are split', async () => {
    for (const pieces of [[Buffer.from(unsigned)], bytewise(unsigned)]) {
      const { body, trailers } = await decode(pieces);
      expect(body).toBe('hello world');
      expect(trailers.get('x-amz-checksum-crc32')).toBe('DUoRhQ==');
    }
  });

  it('decodes a body with per-chunk signatures', async () => {
    expect((await decode(bytewise(signed))).body).toBe('hello world');
  });

  it('accepts a body that ends without the final empty line', async () => {
    const { body, trailers } = await decode([Buffer.from('3\r\nabc\r\n0\r\nx-amz-checksum-sha256:xyz')]);
    expect(body).toBe('abc');
    expect(trailers.get('x-amz-checksum-sha256')).toBe('xyz');
  });

  it('refuses a body cut short or framed wrongly, saying what it expected', async () => {
    await expect(decode([Buffer.from('5\r\nhel')])).rejects.toThrow(AwsChunkedFormatError);
    await expect(decode([Buffer.from('zz\r\nhello\r\n')])).rejects.toThrow(/expected a hex chunk size/);
    await expect(decode([Buffer.from('2\r\nhelo\r\n')])).rejects.toThrow(/expected CRLF after a chunk/);
  });

  it('recognises aws-chunked requests by content encoding or streaming payload hash', () => {
    expect(isAwsChunked({ 'content-encoding': 'aws-chunked' })).toBe(true);
    expect(isAwsChunked({ 'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER' })).toBe(true);
    expect(isAwsChunked({ 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', 'content-encoding': 'gzip' })).toBe(false);
  });
});
