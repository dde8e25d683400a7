/**
 * The S3 API subset a chart repository needs, path-style, for one bucket: what the AWS CLI (v1 and v2, including
 * aws-chunked checksummed uploads and multipart), the SDKs and the indexer use. Every request must carry a valid
 * SigV4 signature made with the one local key pair (or be a SigV2 presigned URL, as CLI v1's `s3 presign` makes). Unsupported operations answer 501 NotImplemented by name.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AwsChunkedFormatError } from './aws-chunked';
import { InvalidObjectKeyError, NoSuchKeyError, PreconditionFailedError, type FileObjectStore } from './object-store';
import {
  createBucket,
  deleteObjects,
  getBucketLocation,
  headBucket,
  listBuckets,
  listObjects,
} from './s3-bucket-operations';
import { S3Error, sendError, type S3Context } from './s3-context';
import { MultipartUploads } from './s3-multipart';
import { copyObject, deleteObject, getObject, header, putObject } from './s3-object-operations';
import { isPresignedV2, verifyPresignedV2 } from './sigv2-presign';
import { verifySigV4, type LocalCredentials } from './sigv4';

export interface S3ApiOptions {
  readonly store: FileObjectStore;
  readonly bucket: string;
  readonly credentials: LocalCredentials;
  /** Told about 5xx failures (the request got a 500 InternalError). */
  readonly onInternalError?: (error: unknown, request: string) => void;
}

export interface S3Api {
  readonly handle: (req: IncomingMessage, res: ServerResponse) => void;
  /** Drops multipart uploads in progress (their part files). */
  readonly close: () => void;
}

export function createS3Api(options: S3ApiOptions): S3Api {
  const multipart = new MultipartUploads();
  const started = new Date();

  async function route(req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://local');
    const signed = { method: req.method ?? '', url: req.url ?? '/', headers: req.headers };
    const auth = isPresignedV2(url)
      ? verifyPresignedV2(signed, options.credentials)
      : verifySigV4(signed, options.credentials);
    if (!auth.ok) throw new S3Error(403, auth.code, auth.message);
    const rawPath = (req.url ?? '/').split('?')[0];
    const slash = rawPath.indexOf('/', 1);
    const bucket = decodeURIComponent(slash < 0 ? rawPath.slice(1) : rawPath.slice(1, slash));
    const rawKey = slash < 0 ? '' : rawPath.slice(slash + 1);
    const key = rawKey === '' ? undefined : decodeURIComponent(rawKey);
    const method = req.method ?? 'GET';
    const q = url.searchParams;
    const ctx: S3Context = { req, res, requestId, bucket: options.bucket, key, query: q, store: options.store };

    if (bucket === '') {
      if (method === 'GET') return listBuckets(ctx, started);
      throw notImplemented(method, 'the service');
    }
    if (bucket !== options.bucket) {
      throw new S3Error(
        404,
        'NoSuchBucket',
        `bucket ${bucket} does not exist; this local server holds one bucket, ${options.bucket} (chosen with --bucket)`,
      );
    }
    if (key === undefined) {
      if (method === 'PUT' && q.size === 0) return createBucket(ctx);
      if (method === 'HEAD') return headBucket(ctx);
      if (method === 'GET' && q.has('location')) return getBucketLocation(ctx);
      if (method === 'GET' && !hasSubresource(q)) return listObjects(ctx);
      if (method === 'POST' && q.has('delete')) return deleteObjects(ctx);
      throw notImplemented(method, `bucket ${bucket}${describeSubresources(q)}`);
    }
    if (method === 'PUT' && q.has('uploadId')) return multipart.uploadPart(ctx, key);
    if (method === 'PUT' && !hasSubresource(q)) {
      const copySource = header(ctx, 'x-amz-copy-source');
      return copySource === undefined ? putObject(ctx, key) : copyObject(ctx, key, copySource);
    }
    if ((method === 'GET' || method === 'HEAD') && !hasSubresource(q)) return getObject(ctx, key);
    if (method === 'DELETE' && q.has('uploadId')) return multipart.abort(ctx, key);
    if (method === 'DELETE' && !hasSubresource(q)) return deleteObject(ctx, key);
    if (method === 'POST' && q.has('uploads')) return multipart.create(ctx, key);
    if (method === 'POST' && q.has('uploadId')) return multipart.complete(ctx, key);
    throw notImplemented(method, `object ${key}${describeSubresources(q)}`);
  }

  return {
    handle(req, res) {
      const requestId = randomBytes(8).toString('hex').toUpperCase();
      route(req, res, requestId).catch((error: unknown) => {
        const s3Error = toS3Error(error);
        if (s3Error.status >= 500) options.onInternalError?.(error, `${req.method} ${req.url}`);
        sendError(res, req.method, requestId, s3Error, (req.url ?? '').split('?')[0]);
        // An upload rejected before its body was read: drain it so the client sees the answer.
        if (!req.readableEnded) req.resume();
      });
    },
    close: () => multipart.dropAll(),
  };
}

function toS3Error(error: unknown): S3Error {
  if (error instanceof S3Error) return error;
  if (error instanceof PreconditionFailedError) return new S3Error(412, 'PreconditionFailed', error.message);
  if (error instanceof NoSuchKeyError) return new S3Error(404, 'NoSuchKey', error.message);
  if (error instanceof InvalidObjectKeyError) return new S3Error(400, 'InvalidArgument', error.message);
  if (error instanceof AwsChunkedFormatError) return new S3Error(400, 'IncompleteBody', error.message);
  if (error instanceof URIError)
    return new S3Error(400, 'InvalidURI', 'the request path is not valid percent-encoding');
  return new S3Error(500, 'InternalError', (error as Error)?.message ?? String(error));
}

// Query parameters that only shape a listing or a GET response; anything else names a subresource.
const PLAIN_PARAMETERS = new Set([
  'list-type',
  'prefix',
  'delimiter',
  'max-keys',
  'marker',
  'continuation-token',
  'start-after',
  'encoding-type',
  'fetch-owner',
  'versionId',
  'partNumber',
  'x-id',
  'AWSAccessKeyId',
  'Signature',
  'Expires',
]);

function hasSubresource(q: URLSearchParams): boolean {
  return [...q.keys()].some(
    (name) => !PLAIN_PARAMETERS.has(name) && !name.startsWith('X-Amz-') && !name.startsWith('response-'),
  );
}

function describeSubresources(q: URLSearchParams): string {
  const names = [...q.keys()].filter((name) => !PLAIN_PARAMETERS.has(name) && !name.startsWith('X-Amz-'));
  return names.length === 0 ? '' : ` ?${names.join('&')}`;
}

function notImplemented(method: string, target: string): S3Error {
  return new S3Error(
    501,
    'NotImplemented',
    `${method} on ${target} is not supported by this local S3 server (it implements objects, listing, multipart and conditional writes)`,
  );
}
