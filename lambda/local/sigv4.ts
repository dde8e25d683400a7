/**
 * Checks AWS Signature Version 4 on S3 requests (Authorization header or presigned query), so the credentials
 * the server prints mean something even on 127.0.0.1. Payload bytes are checked against
 * `x-amz-content-sha256` by the operation that reads the body, not here; for aws-chunked uploads the seed
 * signature (over the headers) is verified, the per-chunk signatures are not (the body's checksum trailer is).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export interface LocalCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

export type AuthResult =
  { readonly ok: true } | { readonly ok: false; readonly code: string; readonly message: string };

interface SignatureParts {
  readonly accessKeyId: string;
  readonly scope: string; // date/region/service/aws4_request
  readonly signedHeaders: string[];
  readonly signature: string;
  readonly amzDate: string;
  readonly payloadHash: string;
}

/** Verifies the request's SigV4 signature against the one local key pair. */
export function verifySigV4(
  request: { readonly method: string; readonly url: string; readonly headers: IncomingHttpHeaders },
  credentials: LocalCredentials,
): AuthResult {
  const [rawPath, rawQuery = ''] = splitOnce(request.url, '?');
  const query = parseQuery(rawQuery);
  const parts = signatureParts(request.headers, query);
  if (typeof parts === 'string') return { ok: false, code: 'AccessDenied', message: parts };
  if (parts.accessKeyId !== credentials.accessKeyId) {
    return {
      ok: false,
      code: 'InvalidAccessKeyId',
      message: `access key ${parts.accessKeyId} is not this server's key (${credentials.accessKeyId}); use the credentials it printed at start`,
    };
  }
  const signedQuery = query.filter(([name]) => name !== 'X-Amz-Signature');
  const canonicalRequest = [
    request.method,
    canonicalPath(rawPath),
    signedQuery
      .map(([name, value]) => [uriEncode(name), uriEncode(value)])
      .sort(([a, av], [b, bv]) => (a === b ? compare(av, bv) : compare(a, b)))
      .map(([name, value]) => `${name}=${value}`)
      .join('&'),
    parts.signedHeaders.map((name) => `${name}:${headerValue(request.headers[name])}\n`).join(''),
    parts.signedHeaders.join(';'),
    parts.payloadHash,
  ].join('\n');
  const stringToSign = ['AWS4-HMAC-SHA256', parts.amzDate, parts.scope, sha256Hex(canonicalRequest)].join('\n');
  const [date, region, service] = parts.scope.split('/');
  let key: Buffer = hmac(`AWS4${credentials.secretAccessKey}`, date);
  for (const part of [region, service, 'aws4_request']) key = hmac(key, part);
  const expected = createHmac('sha256', key).update(stringToSign).digest();
  const received = Buffer.from(parts.signature, 'hex');
  if (received.length !== expected.length || !timingSafeEqual(received, expected)) {
    return {
      ok: false,
      code: 'SignatureDoesNotMatch',
      message: `the request signature does not match; check the secret key (this server's is the one it printed at start)`,
    };
  }
  return { ok: true };
}

function signatureParts(headers: IncomingHttpHeaders, query: [string, string][]): SignatureParts | string {
  const authorization = headers.authorization;
  if (typeof authorization === 'string' && authorization.startsWith('AWS4-HMAC-SHA256 ')) {
    const fields = new Map(
      authorization
        .slice('AWS4-HMAC-SHA256 '.length)
        .split(',')
        .map((field) => splitOnce(field.trim(), '=') as [string, string]),
    );
    const credential = fields.get('Credential') ?? '';
    const amzDate = headerValue(headers['x-amz-date']) || headerValue(headers.date);
    const payloadHash = headerValue(headers['x-amz-content-sha256']);
    if (!payloadHash) return 'the x-amz-content-sha256 header is missing (S3 requires it with SigV4)';
    return {
      accessKeyId: credential.split('/')[0],
      scope: credential.split('/').slice(1).join('/'),
      signedHeaders: (fields.get('SignedHeaders') ?? '').split(';'),
      signature: fields.get('Signature') ?? '',
      amzDate,
      payloadHash,
    };
  }
  const get = (name: string) => query.find(([n]) => n === name)?.[1];
  if (get('X-Amz-Algorithm') === 'AWS4-HMAC-SHA256') {
    const credential = get('X-Amz-Credential') ?? '';
    return {
      accessKeyId: credential.split('/')[0],
      scope: credential.split('/').slice(1).join('/'),
      signedHeaders: (get('X-Amz-SignedHeaders') ?? '').split(';'),
      signature: get('X-Amz-Signature') ?? '',
      amzDate: get('X-Amz-Date') ?? '',
      payloadHash: headerValue(headers['x-amz-content-sha256']) || 'UNSIGNED-PAYLOAD',
    };
  }
  if (typeof authorization === 'string') {
    return 'only AWS Signature Version 4 (AWS4-HMAC-SHA256) is accepted; set the region and use a current AWS CLI or SDK';
  }
  return 'anonymous requests are refused: sign requests with the credentials this server printed at start';
}

/** S3's canonical URI: each path segment decoded once and encoded with the RFC 3986 unreserved set. */
function canonicalPath(rawPath: string): string {
  return rawPath
    .split('/')
    .map((segment) => uriEncode(safeDecode(segment)))
    .join('/');
}

function parseQuery(rawQuery: string): [string, string][] {
  if (rawQuery === '') return [];
  return rawQuery.split('&').map((pair) => {
    const [name, value = ''] = splitOnce(pair, '=');
    return [safeDecode(name), safeDecode(value)];
  });
}

/** SigV4 URI encoding: everything but A-Z a-z 0-9 - _ . ~ as %XX (upper-case hex). */
export function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function headerValue(value: string | string[] | undefined): string {
  const joined = Array.isArray(value) ? value.join(',') : (value ?? '');
  return joined.trim().replace(/\s+/g, ' ');
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + separator.length)];
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
