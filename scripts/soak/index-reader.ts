/**
 * Reads index.yaml documents (YAML or JSON, as Helm detects): from the bucket, or as the proxy saw them written.
 */
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
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
