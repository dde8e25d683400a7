/** One S3 API request as the operations see it, the S3 error type, and the response and body helpers they share. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { decodeAwsChunked, isAwsChunked } from './aws-chunked';
import { checksumHeaders, checksumTap } from './checksums';
import type { FileObjectStore, WrittenFile } from './object-store';
import { errorDocument } from './s3-xml';

export interface S3Context {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly requestId: string;
  readonly bucket: string;
  /** The decoded object key; undefined for bucket-level requests. */
  readonly key?: string;
  readonly query: URLSearchParams;
  readonly store: FileObjectStore;
}

/** An S3 error response: HTTP status, S3 error code, and a message that says what was wrong and what was expected. */
export class S3Error extends Error {
  override readonly name = 'S3Error';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function sendXml(ctx: S3Context, status: number, body: string, headers: Record<string, string> = {}): void {
  const bytes = Buffer.from(body);
  ctx.res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/xml',
    'Content-Length': String(bytes.length),
    'x-amz-request-id': ctx.requestId,
  });
  ctx.res.end(ctx.req.method === 'HEAD' ? undefined : bytes);
}

export function sendEmpty(ctx: S3Context, status: number, headers: Record<string, string> = {}): void {
  ctx.res.writeHead(status, { ...headers, 'Content-Length': '0', 'x-amz-request-id': ctx.requestId });
  ctx.res.end();
}

export function sendError(
  res: ServerResponse,
  method: string | undefined,
  requestId: string,
  error: S3Error,
  resource?: string,
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = Buffer.from(errorDocument(error.code, error.message, requestId, resource));
  res.writeHead(error.status, {
    'Content-Type': 'application/xml',
    'Content-Length': method === 'HEAD' ? '0' : String(body.length),
    'x-amz-request-id': requestId,
  });
  res.end(method === 'HEAD' ? undefined : body);
}

/** Reads a small request body (an XML document) whole. */
export async function readSmallBody(ctx: S3Context, limit = 2 * 1024 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new S3Error(400, 'MaxMessageLengthExceeded', `the request body is over ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The bytes of an upload (PutObject, UploadPart), decoded from aws-chunked when the client sent that, and a check
 * to run once they are written: additional checksums, Content-MD5, x-amz-content-sha256 and the decoded length.
 */
export function uploadBody(ctx: S3Context): {
  readonly body: AsyncIterable<Uint8Array>;
  readonly verify: (written: WrittenFile) => void;
} {
  const headers = ctx.req.headers;
  const chunked = isAwsChunked(headers);
  const trailers = new Map<string, string>();
  const checksums = checksumTap();
  const body = checksums.tap(chunked ? decodeAwsChunked(ctx.req, trailers) : ctx.req);
  return {
    body,
    verify(written) {
      try {
        checksums.verify(new Map([...checksumHeaders(headers), ...trailers]));
      } catch (error) {
        throw new S3Error(400, 'BadDigest', (error as Error).message);
      }
      const contentMd5 = headers['content-md5'];
      if (typeof contentMd5 === 'string' && Buffer.from(written.etag, 'hex').toString('base64') !== contentMd5) {
        throw new S3Error(
          400,
          'BadDigest',
          `the Content-MD5 you sent (${contentMd5}) does not match the bytes received`,
        );
      }
      const declaredSha = String(headers['x-amz-content-sha256'] ?? '');
      if (/^[0-9a-f]{64}$/.test(declaredSha) && declaredSha !== written.sha256) {
        throw new S3Error(
          400,
          'XAmzContentSHA256Mismatch',
          `x-amz-content-sha256 ${declaredSha} does not match the bytes received (${written.sha256})`,
        );
      }
      const decodedLength = headers['x-amz-decoded-content-length'];
      if (chunked && typeof decodedLength === 'string' && Number(decodedLength) !== written.size) {
        throw new S3Error(
          400,
          'IncompleteBody',
          `x-amz-decoded-content-length says ${decodedLength} bytes, the aws-chunked body held ${written.size}`,
        );
      }
    },
  };
}

/** Writes an upload's body to a temporary file and checks it; the caller commits or discards the file. */
export async function receiveUpload(ctx: S3Context): Promise<WrittenFile> {
  const upload = uploadBody(ctx);
  const written = await ctx.store.writeTemp(upload.body);
  try {
    upload.verify(written);
  } catch (error) {
    ctx.store.discard(written);
    throw error;
  }
  return written;
}

/** The HTTP date format S3 uses in Last-Modified. */
export function httpDate(date: Date): string {
  return date.toUTCString();
}

/** The ISO format S3 uses in XML, with milliseconds. */
export function isoDate(date: Date): string {
  return date.toISOString();
}
