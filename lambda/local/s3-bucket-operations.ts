/** ListBuckets, CreateBucket, HeadBucket, GetBucketLocation, ListObjects (V1 and V2) and DeleteObjects. */
import type { ObjectInfo } from './object-store';
import { S3Error, isoDate, readSmallBody, sendEmpty, sendXml, type S3Context } from './s3-context';
import { document, element, elementBlocks, elementValues, escapeXml } from './s3-xml';

const OWNER = '<Owner><ID>local</ID><DisplayName>local</DisplayName></Owner>';

export function listBuckets(ctx: S3Context, created: Date): void {
  const bucket = `<Bucket>${element('Name', ctx.bucket)}${element('CreationDate', isoDate(created))}</Bucket>`;
  sendXml(ctx, 200, document('ListAllMyBucketsResult', `${OWNER}<Buckets>${bucket}</Buckets>`));
}

/** The bucket exists from the start; creating it again is answered as S3 answers its owner. */
export function createBucket(ctx: S3Context): never {
  throw new S3Error(409, 'BucketAlreadyOwnedByYou', `bucket ${ctx.bucket} already exists and is yours`);
}

export function headBucket(ctx: S3Context): void {
  sendEmpty(ctx, 200, { 'x-amz-bucket-region': 'us-east-1' });
}

export function getBucketLocation(ctx: S3Context): void {
  // An empty LocationConstraint means us-east-1.
  sendXml(
    ctx,
    200,
    `<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/"/>`,
  );
}

interface ListingPage {
  readonly contents: ObjectInfo[];
  readonly commonPrefixes: string[];
  readonly truncated: boolean;
  /** The last key or common prefix returned: where the next page starts after. */
  readonly last?: string;
}

/**
 * Lists keys under `prefix` after `after`, rolling keys that contain `delimiter` past the prefix into common
 * prefixes. Keys and common prefixes together count against maxKeys, as on S3.
 */
export function listPage(
  objects: readonly ObjectInfo[],
  options: { prefix: string; delimiter: string; after: string; maxKeys: number },
): ListingPage {
  const { prefix, delimiter, after, maxKeys } = options;
  const contents: ObjectInfo[] = [];
  const commonPrefixes: string[] = [];
  let last: string | undefined;
  for (const object of objects) {
    const key = object.key;
    if (!key.startsWith(prefix) || byteCompare(key, after) <= 0) continue;
    if (delimiter !== '' && after.endsWith(delimiter) && after.length > prefix.length && key.startsWith(after))
      continue;
    const rest = key.slice(prefix.length);
    const cut = delimiter === '' ? -1 : rest.indexOf(delimiter);
    const item = cut < 0 ? key : prefix + rest.slice(0, cut + delimiter.length);
    if (item === last) continue; // another key under the same common prefix
    if (contents.length + commonPrefixes.length >= maxKeys) return { contents, commonPrefixes, truncated: true, last };
    if (cut < 0) contents.push(object);
    else commonPrefixes.push(item);
    last = item;
  }
  return { contents, commonPrefixes, truncated: false, last };
}

export function listObjects(ctx: S3Context): void {
  const q = ctx.query;
  const v2 = q.get('list-type') === '2';
  const urlEncoded = q.get('encoding-type') === 'url';
  const encode = (text: string) => (urlEncoded ? encodeURIComponent(text).replace(/%2F/g, '/') : text);
  const prefix = q.get('prefix') ?? '';
  const delimiter = q.get('delimiter') ?? '';
  const maxKeys = Math.min(1000, Math.max(0, Number(q.get('max-keys') ?? 1000) || 0));
  const token = q.get('continuation-token');
  let after = v2 ? (q.get('start-after') ?? '') : (q.get('marker') ?? '');
  if (v2 && token) after = Buffer.from(token, 'base64url').toString('utf8');
  const page = listPage(ctx.store.list(), { prefix, delimiter, after, maxKeys });

  const contents = page.contents
    .map(
      (o) =>
        `<Contents>${element('Key', encode(o.key))}${element('LastModified', isoDate(o.lastModified))}` +
        `${element('ETag', `"${o.etag}"`)}${element('Size', o.size)}${element('StorageClass', 'STANDARD')}` +
        `${v2 ? '' : OWNER}</Contents>`,
    )
    .join('');
  const common = page.commonPrefixes
    .map((p) => `<CommonPrefixes>${element('Prefix', encode(p))}</CommonPrefixes>`)
    .join('');
  const head =
    element('Name', ctx.bucket) +
    `<Prefix>${escapeXml(encode(prefix))}</Prefix>` +
    (delimiter ? element('Delimiter', encode(delimiter)) : '') +
    element('MaxKeys', maxKeys) +
    (urlEncoded ? element('EncodingType', 'url') : '') +
    element('IsTruncated', page.truncated);
  const paging = v2
    ? element('KeyCount', page.contents.length + page.commonPrefixes.length) +
      element('ContinuationToken', token ?? undefined) +
      element('StartAfter', q.get('start-after') ?? undefined) +
      (page.truncated && page.last
        ? element('NextContinuationToken', Buffer.from(page.last).toString('base64url'))
        : '')
    : `<Marker>${escapeXml(encode(q.get('marker') ?? ''))}</Marker>` +
      (page.truncated && page.last ? element('NextMarker', encode(page.last)) : '');
  sendXml(ctx, 200, document('ListBucketResult', head + paging + contents + common));
}

export async function deleteObjects(ctx: S3Context): Promise<void> {
  const body = await readSmallBody(ctx);
  const quiet = elementValues(body, 'Quiet')[0] === 'true';
  const keys = elementBlocks(body, 'Object').map((block) => elementValues(block, 'Key')[0]);
  if (keys.length === 0 || keys.some((key) => key === undefined)) {
    throw new S3Error(400, 'MalformedXML', 'expected <Delete> with one or more <Object><Key>...</Key></Object>');
  }
  if (keys.length > 1000)
    throw new S3Error(400, 'MalformedXML', `at most 1000 keys per request, received ${keys.length}`);
  const deleted = keys.map((key) => {
    ctx.store.remove(key);
    return quiet ? '' : `<Deleted>${element('Key', key)}</Deleted>`;
  });
  sendXml(ctx, 200, document('DeleteResult', deleted.join('')));
}

function byteCompare(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
