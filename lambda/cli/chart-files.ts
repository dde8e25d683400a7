/**
 * Which files `helm repo index DIR` considers: Go's filepath.Glob of `DIR/*.tgz` then `DIR/*\/*.tgz` (Go has no
 * `**`: it is a plain `*`, so exactly one level of sub-folders). Each glob level is sorted by name (bytewise, as Go
 * sorts strings); hidden names match too; sub-folders are followed through symlinks; unreadable sub-folders are
 * ignored, as Go's glob ignores them. The order matters only to break ties between identical versions.
 */
import { Dirent, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Go's string order: by UTF-8 bytes. JavaScript's `<` compares UTF-16 code units, which is the same order unless a
 * character at U+D800 or above is involved (a surrogate pair sorts below U+E000-U+FFFF in UTF-16, above in UTF-8).
 */
const NEEDS_BYTES = /[\ud800-\uffff]/;
function byBytes(a: string, b: string): number {
  if (NEEDS_BYTES.test(a) || NEEDS_BYTES.test(b)) return Buffer.compare(Buffer.from(a), Buffer.from(b));
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Whether `path` is a folder, following symlinks; false for a dangling or looping link, as Go's glob ignores it. */
export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function isSubFolder(dir: string, entry: Dirent): boolean {
  return entry.isDirectory() || (entry.isSymbolicLink() && isDirectory(join(dir, entry.name)));
}

function namesIn(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** Archive paths relative to `dir`, `/`-separated, in Helm's order. Throws if `dir` cannot be read. */
export function listChartFiles(dir: string): string[] {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => byBytes(a.name, b.name));
  const files = entries.filter((entry) => entry.name.endsWith('.tgz')).map((entry) => entry.name);
  for (const entry of entries) {
    if (!isSubFolder(dir, entry)) continue;
    const names = namesIn(join(dir, entry.name));
    files.push(
      ...names
        .filter((name) => name.endsWith('.tgz'))
        .sort(byBytes)
        .map((name) => `${entry.name}/${name}`),
    );
  }
  return files;
}
