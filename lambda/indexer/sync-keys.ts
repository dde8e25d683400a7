/**
 * The event path for one repository: bring the index entries of the given keys in line with S3 (present ->
 * read and index, absent -> drop, not a valid chart -> drop and report), inside the conditional write loop.
 */
import { applyObservation, type ChartObserver } from './chart-observer';
import { forEachLimited } from './concurrency';
import { fileNameOf } from './repository-prefix';
import { updateRepository, type Reconciliation, type RepositoryTarget, type UpdateResult } from './update-repository';

export interface SyncKeysOptions {
  /** Archives read at once. */
  readonly readConcurrency: number;
}

export async function syncKeys(
  target: RepositoryTarget,
  keys: readonly string[],
  charts: ChartObserver,
  options: SyncKeysOptions,
): Promise<UpdateResult> {
  const reported = new Set<string>();
  return updateRepository(
    target,
    async (index, attempt): Promise<Reconciliation> => {
      let indexed = 0;
      let removed = 0;
      await forEachLimited(keys, options.readConcurrency, async (key) => {
        const file = fileNameOf(key);
        const observation = await charts.observe(key, file, attempt > 0);
        const change = applyObservation(index, file, observation);
        if (change === 'added' || change === 'updated') indexed += 1;
        if (change === 'removed') removed += 1;
        if (observation.state === 'rejected' && !reported.has(key)) {
          reported.add(key);
          target.observer.chartRejected({
            bucket: target.bucket,
            key,
            error: observation.error,
            entryRemoved: change === 'removed',
          });
        }
      });
      return { indexed, removed };
    },
    { onUnreadableIndex: 'fail', writeWhenUnchanged: true },
  );
}
