/**
 * Serves the repositories read-only over HTTP the way the CloudFront distribution does: `<prefix>/index.yaml`
 * revalidated on every use (Cache-Control: no-cache, ETag / Last-Modified, 304), chart archives and provenance
 * files with long caching, nothing else (no listings, no other files), GET and HEAD only.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { etagListMatches, type FileObjectStore, type ObjectInfo } from './object-store';

interface ServedType {
  readonly contentType: (info: ObjectInfo) => string;
  readonly cacheControl: string;
}

const INDEX: ServedType = {
  // As the indexer wrote it (it says JSON when INDEX_FORMAT=json), like CloudFront passing S3's Content-Type on.
  contentType: (info) => info.contentType ?? 'application/x-yaml',
  cacheControl: 'no-cache',
};
const ARCHIVE: ServedType = {
  contentType: () => 'application/gzip',
  cacheControl: 'public, max-age=31536000, immutable',
};
const PROVENANCE: ServedType = {
  contentType: () => 'application/pgp-signature',
  cacheControl: 'public, max-age=31536000',
};

/** What a key is served as, or undefined when it is not served at all. */
export function servedTypeOf(key: string): ServedType | undefined {
  const name = key.slice(key.lastIndexOf('/') + 1);
  if (name === 'index.yaml') return INDEX;
  if (name.endsWith('.tgz') && name.length > 4) return ARCHIVE;
  if (name.endsWith('.tgz.prov') && name.length > 9) return PROVENANCE;
  return undefined;
}

export function createRepositoryHandler(store: FileObjectStore): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    serve(store, req, res).catch(() => {
      if (!res.headersSent) plain(res, 500, 'internal error\n');
      else res.destroy();
    });
  };
}

async function serve(store: FileObjectStore, req: IncomingMessage, res: ServerResponse): Promise<void> {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    return plain(res, 405, `method ${req.method} is not allowed: this is a read-only chart repository (GET, HEAD)\n`);
  }
  const key = decodePath((req.url ?? '/').split('?')[0]);
  const type = key === undefined ? undefined : servedTypeOf(key);
  const info = key === undefined ? undefined : store.head(key);
  if (type === undefined || info === undefined) {
    return plain(
      res,
      404,
      'not found: repositories serve <prefix>/index.yaml, charts (.tgz) and provenance files (.tgz.prov)\n',
      req.method,
    );
  }
  const etag = `"${info.etag}"`;
  res.setHeader('ETag', etag);
  res.setHeader('Last-Modified', info.lastModified.toUTCString());
  res.setHeader('Cache-Control', type.cacheControl);
  res.setHeader('Content-Type', type.contentType(info));
  const ifNoneMatch = req.headers['if-none-match'];
  const ifModifiedSince = req.headers['if-modified-since'];
  const notModified =
    ifNoneMatch !== undefined
      ? etagListMatches(ifNoneMatch, info.etag)
      : ifModifiedSince !== undefined &&
        Math.floor(info.lastModified.getTime() / 1000) * 1000 <= Date.parse(ifModifiedSince);
  if (notModified) {
    res.writeHead(304);
    res.end();
    return;
  }
  res.setHeader('Content-Length', String(info.size));
  res.writeHead(200);
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  await pipeline(store.read(info), res);
}

/** `/stable/my%2Bchart-1.0.0.tgz` -> `stable/my+chart-1.0.0.tgz`; undefined for a malformed path. */
function decodePath(path: string): string | undefined {
  try {
    return decodeURIComponent(path.replace(/^\/+/, ''));
  } catch {
    return undefined;
  }
}

function plain(res: ServerResponse, status: number, text: string, method?: string): void {
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
  });
  res.end(method === 'HEAD' ? undefined : text);
}
