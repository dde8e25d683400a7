/**
 * The url `helm repo index` writes for an archive found at `folder/file` under the indexed directory, with or
 * without `--url`. Helm (pkg/repo IndexDirectory + MustAdd + internal/urlutil.URLJoin) joins with Go's net/url:
 * - at the top level without --url, the url is the bare file name, not escaped;
 * - otherwise base url + folder + file are joined with path.Join (cleaned, no trailing slash) and the path is
 *   escaped as Go escapes a URL path (space -> %20, non-ASCII -> UTF-8 %XX; `+`, `:`, `@`, ... stay).
 * If Go cannot parse the base, Helm falls back to a plain path.Join; so do we.
 */
import { cleanPath } from '../engine/entry-path';

/** Characters Go's url.PathEscape-for-paths (shouldEscape, encodePath) leaves alone. */
const PATH_SAFE = /[A-Za-z0-9\-_.~$&+,/:;=@]/;

function escapePath(path: string): string {
  let out = '';
  for (const char of path) {
    if (PATH_SAFE.test(char)) {
      out += char;
      continue;
    }
    for (const byte of Buffer.from(char, 'utf8')) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Go's path.Join: empty elements are ignored; all empty gives ''. */
function joinPath(...parts: string[]): string {
  const nonEmpty = parts.filter((part) => part !== '');
  return nonEmpty.length === 0 ? '' : cleanPath(nonEmpty.join('/'));
}

interface GoUrl {
  readonly prefix: string; // "scheme:" + "//authority" when present
  readonly hasAuthority: boolean;
  readonly path: string; // unescaped
  readonly suffix: string; // "?query" and "#fragment", as written
}

function percentDecode(text: string): string | undefined {
  if (/%(?![0-9A-Fa-f]{2})/.test(text)) return undefined;
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/** Enough of Go's url.Parse for a repository base url; undefined where Go returns an error. */
function parseUrl(text: string): GoUrl | undefined {
  // Go rejects ASCII control characters anywhere in a url.
  if ([...text].some((char) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f)) return undefined;
  let rest = text;
  let suffix = '';
  const hash = rest.indexOf('#');
  if (hash >= 0) [rest, suffix] = [rest.slice(0, hash), rest.slice(hash)];
  const query = rest.indexOf('?');
  if (query >= 0) [rest, suffix] = [rest.slice(0, query), rest.slice(query) + suffix];
  let prefix = '';
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(rest);
  if (scheme) {
    prefix = scheme[0];
    rest = rest.slice(prefix.length);
  } else if (/^[^/]*:/.test(rest)) {
    return undefined; // "first path segment in URL cannot contain colon"
  }
  let hasAuthority = false;
  if (rest.startsWith('//')) {
    const end = rest.indexOf('/', 2);
    const authority = end < 0 ? rest : rest.slice(0, end);
    prefix += authority;
    rest = end < 0 ? '' : rest.slice(end);
    hasAuthority = true;
  }
  const path = percentDecode(rest);
  return path === undefined ? undefined : { prefix, hasAuthority, path, suffix };
}

function formatUrl(url: GoUrl): string {
  let path = escapePath(url.path);
  if (url.hasAuthority && path !== '' && !path.startsWith('/')) path = `/${path}`;
  // Go prefixes "./" when a relative url's first segment holds a colon (it would read as a scheme).
  if (url.prefix === '' && /^[^/]*:/.test(path)) path = `./${path}`;
  return url.prefix + path + url.suffix;
}

/** Go's urlutil.URLJoin with Helm's fallback to path.Join on a parse error. */
function urlJoin(base: string, part: string): string {
  const url = parseUrl(base);
  if (!url) return joinPath(base, part);
  return formatUrl({ ...url, path: joinPath(url.path, part) });
}

/**
 * The url Helm writes for an archive.
 * @param relativeFile path under the indexed directory, `/`-separated (`chart-1.0.0.tgz`, `team/chart-1.0.0.tgz`)
 * @param baseUrl the `--url` value, or '' for relative urls
 */
export function helmChartUrl(relativeFile: string, baseUrl: string): string {
  const slash = relativeFile.lastIndexOf('/');
  const folder = slash < 0 ? '' : relativeFile.slice(0, slash);
  const file = relativeFile.slice(slash + 1);
  const parent = urlJoin(baseUrl, folder);
  return parent === '' ? file : urlJoin(parent, file);
}
