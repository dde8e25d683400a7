/** chartVersion: the index entry for one archive, as `helm repo index` writes it (pkg/repo/v1/index.go MustAdd). */
import type { ChartArchive, ChartVersion } from './types';

export interface ChartVersionOptions {
  /** The archive's path relative to the repository folder, e.g. "nginx-1.2.3.tgz". */
  readonly file: string;
  /** Shown as `created`: the object's LastModified, or the file's mtime. */
  readonly created: Date;
  /** Absolute base URL; without it `urls` holds the relative file name. */
  readonly baseUrl?: string;
}

/** Go's time.Time JSON form (RFC 3339 with nanoseconds, trailing zeros dropped) in UTC. */
export function formatGoTime(date: Date): string {
  const iso = date.toISOString(); // 2026-01-02T03:04:05.670Z
  const dot = iso.lastIndexOf('.');
  const fraction = iso.slice(dot + 1, -1).replace(/0+$/, '');
  return `${iso.slice(0, dot)}${fraction ? `.${fraction}` : ''}Z`;
}

/** Percent-encodes each path segment (so a `+` becomes %2B: S3 and CDNs read a raw `+` as a space). */
export function encodeFilePath(file: string): string {
  return file.split('/').map(encodeURIComponent).join('/');
}

/** The entry's URL: the encoded file, relative or joined to the base URL with exactly one slash. */
export function chartUrl(file: string, baseUrl?: string): string {
  const encoded = encodeFilePath(file);
  if (!baseUrl) return encoded;
  return `${baseUrl.replace(/\/+$/, '')}/${encoded}`;
}

export function chartVersion(archive: ChartArchive, options: ChartVersionOptions): ChartVersion {
  return {
    ...archive.metadata,
    urls: [chartUrl(options.file, options.baseUrl)],
    created: formatGoTime(options.created),
    digest: archive.digest,
  };
}
