/**
 * `--merge` as Helm means it (pkg/repo IndexFile.Merge): the charts found in the directory win; an entry of the
 * existing index is kept unless the directory has the same chart name at the same version. "Same version" is
 * Helm's `Has(name, version)`: the exact string, or SemVer-equal (build metadata ignored, `v1.0.0` = `1.0.0`).
 * Only entries carry over: the existing index's annotations and public keys are not kept (Helm drops them too).
 */
import { RepositoryIndex, parseSemVer } from '../engine';
import type { ChartVersion } from '../engine';

/** Keys under which Helm's Has() finds a version: the exact string, and its SemVer identity. */
function versionKeys(name: string, version: string): string[] {
  const parsed = parseSemVer(version);
  const keys = [`${name}\0=${version}`];
  if (parsed) keys.push(`${name}\0~${parsed.major}.${parsed.minor}.${parsed.patch}-${parsed.prerelease}`);
  return keys;
}

/** A new index holding `versions` plus every entry of `existing` they do not supersede. */
export function mergeIntoExisting(versions: readonly ChartVersion[], existing: RepositoryIndex): RepositoryIndex {
  const present = new Set<string>();
  for (const version of versions) for (const key of versionKeys(version.name, version.version)) present.add(key);
  const merged = RepositoryIndex.empty();
  for (const file of existing.files()) {
    const entry = existing.entryForFile(file);
    if (!entry) continue;
    const keys = versionKeys(entry.name, entry.version);
    if (keys.some((key) => present.has(key))) continue;
    // Later duplicates of the same name and version in the existing index lose to the first, as in Helm.
    for (const key of keys) present.add(key);
    merged.add(entry);
  }
  // Added last, so a fresh archive replaces an old entry that pointed at the same file.
  for (const version of versions) merged.add(version);
  return merged;
}
