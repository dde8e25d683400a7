/**
 * Reindex: a reconcile, not a reset. For each repository folder: list it, keep entries whose objects still exist
 * with the same LastModified (second precision, as `created` stores it), read only new or changed archives, drop
 * entries whose object is gone; `deep` re-reads every archive. Folders are walked one at a time with the listing
 * delimiter, so memory holds one folder's listing and index, never archives; reads run with bounded concurrency.
 */
import { applyObservation, sameSecond, type ChartObserver } from './chart-observer';
import { forEachLimited } from './concurrency';
import type { ObjectInfo } from './object-store';
import { fileNameOf, isAllowedRepository, isChartKey } from './repository-prefix';
import { updateRepository, type RepositoryTarget, type UpdateResult } from './update-repository';

export interface ReindexFolderOptions {
  readonly deep: boolean;
  readonly readConcurrency: number;
}

export interface FolderReindex extends UpdateResult {
  /** Sub-folders seen in the listing (for the walk). */
  readonly folders: readonly string[];
  /** Entries kept without reading their archive. */
  readonly kept: number;
  /** Archives read. */
  readonly read: number;
}

export async function reindexFolder(
  target: RepositoryTarget,
  charts: ChartObserver,
  options: ReindexFolderOptions,
): Promise<FolderReindex> {
  let folders: string[] = [];
  let kept = 0;
  let read = 0;
  const reported = new Set<string>();
  const result = await updateRepository(
    target,
    async (index) => {
      // Listed after the index was read, on every attempt: see chart-observer.ts for why the order matters.
      folders = [];
      kept = 0;
      const listed = new Map<string, ObjectInfo>();
      for await (const page of target.store.listFolder(target.bucket, target.prefix)) {
        for (const object of page.objects) {
          if (isChartKey(object.key)) listed.set(fileNameOf(object.key), object);
        }
        folders.push(...page.folders);
      }
      let removed = 0;
      for (const file of index.files()) {
        if (!listed.has(file) && index.removeFile(file)) removed += 1;
      }
      const toRead: ObjectInfo[] = [];
      for (const [file, info] of listed) {
        const entry = index.entryForFile(file);
        if (!options.deep && entry !== undefined && sameSecond(entry.created, info.lastModified)) kept += 1;
        else toRead.push(info);
      }
      let indexed = 0;
      await forEachLimited(toRead, options.readConcurrency, async (info) => {
        const file = fileNameOf(info.key);
        const observation = await charts.observeListed(info, file);
        read += 1;
        const change = applyObservation(index, file, observation);
        if (change === 'added' || change === 'updated') indexed += 1;
        if (change === 'removed') removed += 1;
        if (observation.state === 'rejected' && !reported.has(info.key)) {
          reported.add(info.key);
          target.observer.chartRejected({
            bucket: target.bucket,
            key: info.key,
            error: observation.error,
            entryRemoved: change === 'removed',
          });
        }
      });
      return { indexed, removed };
    },
    // A reindex that finds nothing to change does not write: events carry the freshness guarantee.
    { onUnreadableIndex: 'rebuild', writeWhenUnchanged: false },
  );
  return { ...result, folders, kept, read };
}

export interface ReindexRequestScope {
  /** The folder asked for; undefined = the whole bucket. */
  readonly prefix?: string;
  readonly allowList?: readonly string[];
}

/**
 * The folders where the walk starts: the requested one if allowed, else the allowed prefixes below it.
 * Nested roots are dropped (walking `a/` already covers `a/b/`).
 */
export function walkRoots(scope: ReindexRequestScope): string[] {
  const requested = scope.prefix ?? '';
  if (isAllowedRepository(requested, scope.allowList)) return [requested];
  const below = (scope.allowList ?? []).filter((allowed) => allowed.startsWith(requested));
  return below.filter((root) => !below.some((other) => other !== root && root.startsWith(other))).sort();
}

export interface ReindexSummary {
  readonly repositories: number;
  readonly written: number;
  readonly kept: number;
  readonly read: number;
  readonly removed: number;
  readonly conflicts: number;
  readonly failed: readonly { readonly prefix: string; readonly error: string }[];
}

/**
 * Walks the folders under the scope's roots, one at a time, reconciling each. A folder that fails is recorded
 * and the walk goes on (its sub-folders are then not visited: their listing is what failed).
 */
export async function reindexTree(
  scope: ReindexRequestScope,
  folderTarget: (prefix: string) => { target: RepositoryTarget; charts: ChartObserver },
  options: ReindexFolderOptions,
): Promise<ReindexSummary> {
  const queue = walkRoots(scope);
  const totals = { repositories: 0, written: 0, kept: 0, read: 0, removed: 0, conflicts: 0 };
  const failed: { prefix: string; error: string }[] = [];
  while (queue.length > 0) {
    const prefix = queue.shift() as string;
    const { target, charts } = folderTarget(prefix);
    try {
      const result = await reindexFolder(target, charts, options);
      queue.push(...result.folders);
      totals.repositories += result.versionCount > 0 || result.written ? 1 : 0;
      totals.written += result.written ? 1 : 0;
      totals.kept += result.kept;
      totals.read += result.read;
      totals.removed += result.removed;
      totals.conflicts += result.conflicts;
    } catch (error) {
      failed.push({ prefix, error: error instanceof Error ? error.message : String(error) });
      target.observer.note('warn', 'reindex of a repository failed; continuing with the others', {
        prefix,
        error: String(error),
      });
    }
  }
  return { ...totals, failed };
}
