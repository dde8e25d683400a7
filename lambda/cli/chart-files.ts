/**
 * Which files `helm repo index DIR` considers: Go's filepath.Glob of `DIR/*.tgz` then `DIR/*\/*.tgz` (Go has no
 * `**`: it is a plain `*`, so exactly one level of sub-folders). Each glob level is sorted by name (bytewise, as Go
 * sorts strings); hidden names match too; sub-folders are followed through symlinks; unreadable sub-folders are
 * ignored, as Go's glob ignores them. The order matters only to break ties between identical versions.
 */
import { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

const byBytes = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));

async function isDirectory(dir: string, entry: Dirent): Promise<boolean> {
  if (entry.isDirectory()) return true;
  if (!entry.isSymbolicLink()) return false;
  return (await stat(join(dir, entry.name)).catch(() => undefined))?.isDirectory() ?? false;
}

/** Archive paths relative to `dir`, `/`-separated, in Helm's order. Throws if `dir` cannot be read. */
export async function listChartFiles(dir: string): Promise<string[]> {
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => byBytes(a.name, b.name));
  const files = entries.filter((entry) => entry.name.endsWith('.tgz')).map((entry) => entry.name);
  for (const entry of entries) {
    if (!(await isDirectory(dir, entry))) continue;
    const names = await readdir(join(dir, entry.name)).catch(() => [] as string[]);
    files.push(
      ...names
        .filter((name) => name.endsWith('.tgz'))
        .sort(byBytes)
        .map((name) => `${entry.name}/${name}`),
    );
  }
  return files;
}
