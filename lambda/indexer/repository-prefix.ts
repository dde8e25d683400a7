/**
 * Where a chart belongs. A repository is a folder of the bucket (DESIGN.md): `stable/myapp/x-1.0.0.tgz`
 * belongs to repository `stable/myapp/`, whose index is `stable/myapp/index.yaml` and whose entries name
 * the file relative to that folder (`x-1.0.0.tgz`). A chart at the bucket root belongs to repository `''`.
 */

/** The index file every repository folder holds (it holds JSON when INDEX_FORMAT=json: Helm detects that). */
export const INDEX_FILE_NAME = 'index.yaml';

/**
 * True for keys `helm repo index` would pick up: `*.tgz`, case-sensitive as Helm's glob. Provenance files
 * (`.prov`), the index itself and anything else are not charts, which also means an index write can never
 * trigger the indexer even when notifications are wired without a suffix filter.
 */
export function isChartKey(key: string): boolean {
  return key.endsWith('.tgz') && fileNameOf(key).length > '.tgz'.length;
}

/** The repository (folder, with its trailing slash) that holds `key`; `''` at the bucket root. */
export function repositoryPrefixOf(key: string): string {
  return key.slice(0, key.lastIndexOf('/') + 1);
}

/** The key's file name within its repository: what an index entry's url names. */
export function fileNameOf(key: string): string {
  return key.slice(key.lastIndexOf('/') + 1);
}

/** `stable`, `/stable`, `stable/` all mean folder `stable/`; `''` and `/` mean the bucket root. */
export function normalizePrefix(prefix: string): string {
  const trimmed = prefix.replace(/^\/+/, '');
  if (trimmed === '') return '';
  return trimmed.endsWith('/') ? trimmed : `${trimmed}/`;
}

/** The key of a repository's index object. */
export function indexKeyOf(prefix: string): string {
  return `${prefix}${INDEX_FILE_NAME}`;
}

/**
 * Parses `REPOSITORY_PREFIXES` (comma-separated). Returns undefined when empty: every folder is a repository.
 */
export function parseAllowList(value: string | undefined): readonly string[] | undefined {
  const prefixes = (value ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .map(normalizePrefix);
  return prefixes.length === 0 ? undefined : prefixes;
}

/**
 * An allowed prefix covers its own folder and every folder below it, the way S3 notification prefix filters
 * and IAM `prefix/*` grants match: allowing `stable/` indexes `stable/` and `stable/myapp/`.
 */
export function isAllowedRepository(prefix: string, allowList: readonly string[] | undefined): boolean {
  return allowList === undefined || allowList.some((allowed) => prefix.startsWith(allowed));
}

/** The URL under which a repository's files are served, given the URL serving the bucket root. */
export function repositoryBaseUrl(bucketBaseUrl: string | undefined, prefix: string): string | undefined {
  if (bucketBaseUrl === undefined || bucketBaseUrl === '') return undefined;
  const root = bucketBaseUrl.endsWith('/') ? bucketBaseUrl : `${bucketBaseUrl}/`;
  const path = prefix
    .split('/')
    .filter((segment) => segment !== '')
    .map(encodeURIComponent)
    .join('/');
  return path === '' ? root.replace(/\/$/, '') : `${root}${path}`;
}
