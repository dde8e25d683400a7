/**
 * Reads index.yaml objects (YAML or JSON, as Helm detects) from the bucket: the current one of each
 * repository, and every version ever written (the bucket is versioned), for the history checks.
 */
import { GetObjectCommand, ListObjectVersionsCommand, type S3Client } from '@aws-sdk/client-s3';
import { load } from 'js-yaml';

export interface IndexEntry {
  readonly name: string;
  readonly version: string;
  readonly digest?: string;
  readonly description?: string;
  readonly created?: string;
  readonly urls: readonly string[];
  /** The object key the first url points to, or an error saying why it does not resolve. */
  readonly key?: string;
  readonly urlError?: string;
}

export interface ParsedIndex {
  readonly document: Record<string, unknown>;
  readonly entries: readonly IndexEntry[];
}

export function indexKey(prefix: string): string {
  return `${prefix}index.yaml`;
}

/** The key an entry url names, resolved the way Helm does (relative to the repository URL). */
export function urlToKey(url: string, repoUrl: string, bucket: string): string {
  const resolved = new URL(url, `${repoUrl}/`);
  const path = decodeURIComponent(resolved.pathname);
  const bucketPath = `/${bucket}/`;
  if (!path.startsWith(bucketPath)) throw new Error(`url ${url} resolves outside the bucket: ${resolved.href}`);
  return path.slice(bucketPath.length);
}

export function parseIndex(text: string, repoUrl: string, bucket: string): ParsedIndex {
  const document = (text.trimStart().startsWith('{') ? JSON.parse(text) : load(text)) as Record<string, unknown>;
  const entries: IndexEntry[] = [];
  const byName = (document?.entries ?? {}) as Record<string, Record<string, unknown>[] | null>;
  for (const [name, versions] of Object.entries(byName)) {
    for (const version of versions ?? []) {
      const urls = (version.urls as string[] | undefined) ?? [];
      let key: string | undefined;
      let urlError: string | undefined;
      try {
        if (urls.length === 0) throw new Error('no urls');
        key = urlToKey(urls[0], repoUrl, bucket);
      } catch (error) {
        urlError = (error as Error).message;
      }
      const created = version.created instanceof Date ? version.created.toISOString() : (version.created as string);
      entries.push({
        name,
        version: String(version.version),
        digest: version.digest as string | undefined,
        description: version.description as string | undefined,
        created,
        urls,
        key,
        urlError,
      });
    }
  }
  return { document, entries };
}

/** The index minus `generated`, with keys sorted: equal strings = same content. */
export function canonicalIndex(document: Record<string, unknown>): string {
  const rest = { ...document };
  delete rest.generated;
  const sortKeys = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(sortKeys)
      : value instanceof Date
        ? value.toISOString()
        : value && typeof value === 'object'
          ? Object.fromEntries(
              Object.keys(value)
                .sort()
                .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
            )
          : value;
  return JSON.stringify(sortKeys(rest));
}

export async function readText(
  s3: S3Client,
  bucket: string,
  key: string,
  versionId?: string,
): Promise<string | undefined> {
  try {
    const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId }));
    return await response.Body!.transformToString('utf-8');
  } catch (error) {
    if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return undefined;
    throw error;
  }
}

export interface IndexVersion {
  readonly versionId: string;
  readonly lastModified: number;
  readonly index: ParsedIndex;
}

/** Every version of one index object, oldest first (delete markers skipped). */
export async function indexHistory(
  s3: S3Client,
  bucket: string,
  key: string,
  repoUrl: string,
): Promise<IndexVersion[]> {
  const listed: { versionId: string; lastModified: number; order: number }[] = [];
  let keyMarker: string | undefined;
  let versionIdMarker: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectVersionsCommand({
        Bucket: bucket,
        Prefix: key,
        KeyMarker: keyMarker,
        VersionIdMarker: versionIdMarker,
      }),
    );
    for (const version of page.Versions ?? []) {
      if (version.Key !== key) continue;
      listed.push({
        versionId: version.VersionId!,
        lastModified: version.LastModified!.getTime(),
        order: listed.length,
      });
    }
    keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
    versionIdMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
  } while (keyMarker !== undefined);
  // S3 lists versions newest first; reverse that order for equal timestamps.
  listed.sort((a, b) => a.lastModified - b.lastModified || b.order - a.order);
  const versions: IndexVersion[] = [];
  for (const { versionId, lastModified } of listed) {
    const text = await readText(s3, bucket, key, versionId);
    if (text === undefined) continue;
    versions.push({ versionId, lastModified, index: parseIndex(text, repoUrl, bucket) });
  }
  return versions;
}
