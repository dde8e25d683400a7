/**
 * Maps S3 object keys to files under the bucket folder, one file per object, so the data directory is plain
 * files a person can read (and copy charts into before a start). Keys that cannot be a relative file path on
 * every platform (empty or dot segments, a trailing slash, control characters) are refused with a reason.
 */
import { join, sep } from 'node:path';

/** Why a key cannot be stored as a file, or undefined when it can. */
export function keyPathProblem(key: string): string | undefined {
  if (key === '') return 'the key is empty';
  if (Buffer.byteLength(key) > 1024) return 'the key is longer than 1024 bytes (the S3 limit)';
  if (key.endsWith('/')) return 'the key ends with "/" (a folder marker); this local server stores files only';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(key)) return 'the key holds a control character or a backslash';
  for (const segment of key.split('/')) {
    if (segment === '') return 'the key holds an empty path segment ("//" or a leading "/")';
    if (segment === '.' || segment === '..') return `the key holds a "${segment}" path segment`;
    if (Buffer.byteLength(segment) > 255) return 'a path segment of the key is longer than 255 bytes';
  }
  return undefined;
}

/** The file that holds `key` inside `bucketDir`. The key must have passed keyPathProblem. */
export function keyToPath(bucketDir: string, key: string): string {
  return join(bucketDir, ...key.split('/'));
}

/** The key of a file found at `relativePath` (platform separators) under the bucket folder. */
export function pathToKey(relativePath: string): string {
  return relativePath.split(sep).join('/');
}
