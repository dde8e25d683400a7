/** PutObject (plain, conditional, aws-chunked), CopyObject, GetObject / HeadObject (ranges, conditions), DeleteObject. */
import { pipeline } from 'node:stream/promises';
import { etagListMatches, type ObjectInfo } from './object-store';
import { S3Error, httpDate, isoDate, receiveUpload, sendEmpty, sendXml, type S3Context } from './s3-context';
import { document, element } from './s3-xml';

export async function putObject(ctx: S3Context, key: string): Promise<void> {
  const written = await receiveUpload(ctx);
  const info = ctx.store.commitFile(key, written, {
    contentType: header(ctx, 'content-type'),
    conditions: { ifMatch: header(ctx, 'if-match'), ifNoneMatch: header(ctx, 'if-none-match') },
    createdBy: 'Put',
  });
  sendEmpty(ctx, 200, { ETag: `"${info.etag}"` });
}

export async function copyObject(ctx: S3Context, key: string, copySource: string): Promise<void> {
  const source = sourceObject(ctx, copySource);
  const written = await ctx.store.writeTemp(ctx.store.read(source));
  const replace = header(ctx, 'x-amz-metadata-directive') === 'REPLACE';
  const info = ctx.store.commitFile(key, written, {
    contentType: replace ? header(ctx, 'content-type') : source.contentType,
    conditions: { ifMatch: header(ctx, 'if-match'), ifNoneMatch: header(ctx, 'if-none-match') },
    createdBy: 'Copy',
  });
  sendXml(
    ctx,
    200,
    document(
      'CopyObjectResult',
      element('LastModified', isoDate(info.lastModified)) + element('ETag', `"${info.etag}"`),
    ),
  );
}

/** The object named by an `x-amz-copy-source` header (`[/]bucket/key[?versionId=...]`, URL-encoded). */
export function sourceObject(ctx: S3Context, copySource: string): ObjectInfo {
  const path = decodeURIComponent(copySource.split('?')[0]).replace(/^\//, '');
  const slash = path.indexOf('/');
  const bucket = path.slice(0, slash);
  const key = path.slice(slash + 1);
  if (slash <= 0 || bucket !== ctx.bucket) {
    throw new S3Error(404, 'NoSuchBucket', `copy source ${copySource}: this server holds only bucket ${ctx.bucket}`);
  }
  const info = ctx.store.head(key);
  if (info === undefined) throw new S3Error(404, 'NoSuchKey', `copy source ${key} does not exist`);
  return info;
}

/** GetObject and HeadObject. */
export async function getObject(ctx: S3Context, key: string): Promise<void> {
  const info = ctx.store.head(key);
  if (info === undefined) throw new S3Error(404, 'NoSuchKey', `the key ${key} does not exist`);
  const headers: Record<string, string> = {
    ETag: `"${info.etag}"`,
    'Last-Modified': httpDate(info.lastModified),
    'Accept-Ranges': 'bytes',
    'Content-Type': info.contentType ?? 'binary/octet-stream',
    'x-amz-request-id': ctx.requestId,
  };
  const notModified = readConditionFails(ctx, info);
  if (notModified === 304) {
    ctx.res.writeHead(304, headers);
    ctx.res.end();
    return;
  }
  if (notModified === 412)
    throw new S3Error(412, 'PreconditionFailed', `a read condition did not hold for ${key} (ETag "${info.etag}")`);
  const range = parseRange(header(ctx, 'range'), info.size);
  if (range === 'unsatisfiable') {
    throw new S3Error(
      416,
      'InvalidRange',
      `the range ${header(ctx, 'range')} is outside the object (${info.size} bytes)`,
    );
  }
  if (range !== undefined) {
    headers['Content-Range'] = `bytes ${range.start}-${range.end}/${info.size}`;
    headers['Content-Length'] = String(range.end - range.start + 1);
  } else {
    headers['Content-Length'] = String(info.size);
  }
  ctx.res.writeHead(range ? 206 : 200, headers);
  if (ctx.req.method === 'HEAD' || info.size === 0) {
    ctx.res.end();
    return;
  }
  await pipeline(ctx.store.read(info, range), ctx.res);
}

export function deleteObject(ctx: S3Context, key: string): void {
  ctx.store.remove(key);
  sendEmpty(ctx, 204);
}

/** 304 / 412 when a GET condition fails (RFC 7232 precedence, as S3 applies it), otherwise undefined. */
function readConditionFails(ctx: S3Context, info: ObjectInfo): 304 | 412 | undefined {
  const ifMatch = header(ctx, 'if-match');
  const ifNoneMatch = header(ctx, 'if-none-match');
  const ifModifiedSince = header(ctx, 'if-modified-since');
  const ifUnmodifiedSince = header(ctx, 'if-unmodified-since');
  const modified = Math.floor(info.lastModified.getTime() / 1000) * 1000;
  if (ifMatch !== undefined && !etagListMatches(ifMatch, info.etag)) return 412;
  if (ifMatch === undefined && ifUnmodifiedSince !== undefined && modified > Date.parse(ifUnmodifiedSince)) return 412;
  if (ifNoneMatch !== undefined) return etagListMatches(ifNoneMatch, info.etag) ? 304 : undefined;
  if (ifModifiedSince !== undefined && modified <= Date.parse(ifModifiedSince)) return 304;
  return undefined;
}

/** A single `bytes=a-b`, `bytes=a-` or `bytes=-n` range; undefined = the whole object. */
export function parseRange(
  value: string | undefined,
  size: number,
): { start: number; end: number } | 'unsatisfiable' | undefined {
  const match = value === undefined ? null : /^bytes=(\d*)-(\d*)$/.exec(value.trim());
  if (match === null || (match[1] === '' && match[2] === '')) return undefined;
  let start: number;
  let end: number;
  if (match[1] === '') {
    start = Math.max(0, size - Number(match[2]));
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  }
  if (start >= size || start > end) return 'unsatisfiable';
  return { start, end };
}

export function header(ctx: S3Context, name: string): string | undefined {
  const value = ctx.req.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}
