/**
 * Presigned URLs in the legacy Signature Version 2 query form (`?AWSAccessKeyId=&Expires=&Signature=`), which
 * AWS CLI v1's `aws s3 presign` produces by default. Only the query form is accepted; signed requests must use
 * SigV4 (every current CLI and SDK does).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { AuthResult, LocalCredentials } from './sigv4';

// Sub-resources that are part of the V2 string to sign when present.
const SIGNED_SUBRESOURCES = new Set([
  'acl',
  'delete',
  'location',
  'logging',
  'notification',
  'partNumber',
  'policy',
  'requestPayment',
  'tagging',
  'torrent',
  'uploadId',
  'uploads',
  'versionId',
  'versioning',
  'versions',
  'website',
  'response-cache-control',
  'response-content-disposition',
  'response-content-encoding',
  'response-content-language',
  'response-content-type',
  'response-expires',
]);

/** True when the URL carries a SigV2 presigned query. */
export function isPresignedV2(url: URL): boolean {
  return url.searchParams.has('AWSAccessKeyId') && url.searchParams.has('Signature') && url.searchParams.has('Expires');
}

export function verifyPresignedV2(
  request: { readonly method: string; readonly url: string; readonly headers: IncomingHttpHeaders },
  credentials: LocalCredentials,
  now = new Date(),
): AuthResult {
  const url = new URL(request.url, 'http://local');
  const q = url.searchParams;
  if (q.get('AWSAccessKeyId') !== credentials.accessKeyId) {
    return {
      ok: false,
      code: 'InvalidAccessKeyId',
      message: `access key ${q.get('AWSAccessKeyId')} is not this server's key`,
    };
  }
  const expires = Number(q.get('Expires'));
  if (!Number.isFinite(expires) || expires * 1000 < now.getTime()) {
    return { ok: false, code: 'AccessDenied', message: 'the presigned URL has expired' };
  }
  const subresources = [...q.entries()]
    .filter(([name]) => SIGNED_SUBRESOURCES.has(name))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => (value === '' ? name : `${name}=${value}`));
  const resource = request.url.split('?')[0] + (subresources.length > 0 ? `?${subresources.join('&')}` : '');
  const header = (name: string) => String(request.headers[name] ?? '');
  const amzHeaders = Object.keys(request.headers)
    .filter((name) => name.startsWith('x-amz-'))
    .sort()
    .map((name) => `${name}:${header(name).trim()}\n`)
    .join('');
  const stringToSign = `${request.method}\n${header('content-md5')}\n${header('content-type')}\n${expires}\n${amzHeaders}${resource}`;
  const expected = createHmac('sha1', credentials.secretAccessKey).update(stringToSign).digest();
  const received = Buffer.from(q.get('Signature') ?? '', 'base64');
  if (received.length !== expected.length || !timingSafeEqual(received, expected)) {
    return { ok: false, code: 'SignatureDoesNotMatch', message: 'the presigned URL signature does not match' };
  }
  return { ok: true };
}
