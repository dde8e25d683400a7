/**
 * The read-modify-conditional-write loop of one repository's index: read the index and its ETag (absent = new),
 * let `reconcile` bring it in line with what S3 holds now, and write it only if something changed, with
 * `If-Match: <etag>` (or `If-None-Match: *` for a new index). When another writer got there first (412, 409, or
 * 404 because the index was deleted meanwhile) the whole step runs again on the fresh index after a jittered
 * backoff. No write can therefore drop another writer's change.
 *
 * The event path writes even when its batch changed nothing (`writeWhenUnchanged`). Skipping that write loses
 * updates: writer A reads the index, sees chart K present and is about to write; K is deleted; writer B reads the
 * same index, finds K absent and not listed, and writes nothing; A's If-Match still holds and publishes K, and no
 * event is left to remove it. B's unchanged write moves the ETag, so A's write fails and A looks again. A replay
 * therefore rewrites the same entries (only `generated` differs); correctness is worth one PUT per batch.
 */
import { RepositoryIndex } from '../engine';
import { INDEX_CACHE_CONTROL, serializeIndex, type IndexFormat } from './index-format';
import type { ObjectStore } from './object-store';
import { indexKeyOf } from './repository-prefix';
import { backoffDelayMs, sleep, type RetryPolicy } from './retry';
import type { IndexerObserver } from './telemetry';

export interface RepositoryTarget {
  readonly store: ObjectStore;
  readonly bucket: string;
  /** The repository folder (`stable/`, or `''` for the bucket root). */
  readonly prefix: string;
  readonly format: IndexFormat;
  readonly retry: RetryPolicy;
  readonly observer: IndexerObserver;
  /** Epoch ms after which no further attempt starts (the Lambda's remaining time, minus a margin). */
  readonly deadline?: number;
}

/** What one reconcile pass did to the index it was given. */
export interface Reconciliation {
  /** Entries added or replaced. */
  readonly indexed: number;
  readonly removed: number;
}

/** Brings `index` in line with S3. Called once per attempt, always after that attempt's index read. */
export type Reconcile = (index: RepositoryIndex, attempt: number) => Promise<Reconciliation>;

export interface UpdateResult extends Reconciliation {
  readonly indexKey: string;
  readonly written: boolean;
  readonly attempts: number;
  readonly conflicts: number;
  readonly versionCount: number;
}

/** The index object exists but is not a Helm repository index. */
export class IndexUnreadableError extends Error {
  override readonly name = 'IndexUnreadableError';
}

export interface UpdateOptions {
  /**
   * What to do when the existing index cannot be parsed: 'fail' (the event path; the item is retried and a
   * reindex rebuilds it) or 'rebuild' (reindex: start from an empty index and overwrite the broken one).
   */
  readonly onUnreadableIndex: 'fail' | 'rebuild';
  /** Write (conditionally) even when nothing changed, so a concurrent writer's stale observation cannot win. */
  readonly writeWhenUnchanged: boolean;
}

export async function updateRepository(
  target: RepositoryTarget,
  reconcile: Reconcile,
  options: UpdateOptions,
): Promise<UpdateResult> {
  const { store, bucket, retry, observer } = target;
  const indexKey = indexKeyOf(target.prefix);
  const location = `s3://${bucket}/${indexKey}`;
  let conflicts = 0;
  for (let attempt = 0; ; attempt++) {
    const current = await store.readText(bucket, indexKey);
    let index = RepositoryIndex.empty();
    let mustWrite = false;
    if (current !== undefined) {
      try {
        index = RepositoryIndex.parse(current.text, location);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        if (options.onUnreadableIndex === 'fail') {
          throw new IndexUnreadableError(
            `${location} is not a readable Helm repository index (${reason}); expected YAML or JSON with apiVersion and ` +
              'entries. Run a reindex of this prefix to rebuild it from the charts in the bucket.',
          );
        }
        observer.note('warn', 'index unreadable; rebuilding it from the charts in the bucket', { location, reason });
        mustWrite = true;
      }
    }

    const change = await reconcile(index, attempt);
    const summary = { indexKey, attempts: attempt + 1, conflicts, versionCount: index.versionCount, ...change };
    const unchanged = change.indexed === 0 && change.removed === 0;
    if (unchanged && !mustWrite && !options.writeWhenUnchanged) return { ...summary, written: false };

    const { body, contentType } = serializeIndex(index, target.format, new Date());
    const outcome = await store.writeText(bucket, indexKey, body, {
      contentType,
      cacheControl: INDEX_CACHE_CONTROL,
      ...(current === undefined ? { ifNoneMatch: '*' as const } : { ifMatch: current.etag }),
    });
    if (outcome === 'written') {
      observer.indexWritten({
        bucket,
        indexKey,
        sizeBytes: Buffer.byteLength(body),
        versionCount: index.versionCount,
        indexed: change.indexed,
        removed: change.removed,
        attempt,
      });
      return { ...summary, written: true };
    }

    conflicts += 1;
    observer.writeConflict({ bucket, indexKey, attempt });
    const delay = backoffDelayMs(attempt, retry);
    if (attempt + 1 >= retry.maxAttempts || (target.deadline !== undefined && Date.now() + delay >= target.deadline)) {
      throw new Error(
        `gave up writing ${location}: ${conflicts} conditional writes in a row lost to concurrent writers ` +
          `(limit ${retry.maxAttempts} attempts or the invocation deadline); the batch items are retried`,
      );
    }
    await sleep(delay);
  }
}
