/**
 * Finds out what is true in S3 for one chart key and what that means for the index entry of its file.
 *
 * Each observation must be made after the index read that the next conditional write depends on: then any
 * other writer that saw a newer state, and always writes (see update-repository.ts), either wrote before us (our
 * write fails, we re-read and look again) or reads our index after we wrote and corrects it. So every retry looks
 * again; a HEAD per key suffices when the
 * object is unchanged (same ETag and LastModified), and only a changed object is read again.
 */
import { ChartRejectedError, chartVersion, readChartArchive, type ChartVersion, type RepositoryIndex } from '../engine';
import type { ObjectInfo, ObjectStore } from './object-store';

export type Observation =
  | { readonly state: 'absent' }
  | { readonly state: 'present'; readonly info: ObjectInfo; readonly version: ChartVersion }
  | { readonly state: 'rejected'; readonly info: ObjectInfo; readonly error: ChartRejectedError };

export interface ChartObserverOptions {
  readonly store: ObjectStore;
  readonly bucket: string;
  /** Absolute URL of the repository folder, or undefined for relative urls. */
  readonly baseUrl?: string;
}

export class ChartObserver {
  private readonly seen = new Map<string, Observation>();

  constructor(private readonly options: ChartObserverOptions) {}

  /**
   * What `key` holds now. With `revalidate`, a key observed before is checked with a HEAD and read again only
   * if it changed; without, a key observed before in this invocation is not asked again.
   */
  async observe(key: string, file: string, revalidate: boolean): Promise<Observation> {
    const previous = this.seen.get(key);
    if (previous !== undefined) {
      if (!revalidate) return previous;
      const info = await this.options.store.head(this.options.bucket, key);
      if (info === undefined) {
        const absent: Observation = { state: 'absent' };
        this.seen.set(key, absent);
        return absent;
      }
      if (previous.state !== 'absent' && sameObject(info, previous.info)) return previous;
    }
    const observation = await this.read(key, file);
    this.seen.set(key, observation);
    return observation;
  }

  /**
   * An object known from a listing made after the index read (reindex): its state is already observed, so no
   * HEAD; read it unless this invocation already read the same object (a retry after a conflict).
   */
  async observeListed(info: ObjectInfo, file: string): Promise<Observation> {
    const previous = this.seen.get(info.key);
    if (previous !== undefined && previous.state !== 'absent' && sameObject(info, previous.info)) return previous;
    const observation = await this.read(info.key, file);
    this.seen.set(info.key, observation);
    return observation;
  }

  private async read(key: string, file: string): Promise<Observation> {
    const observation = await this.options.store.read(this.options.bucket, key, async (info, body) => {
      try {
        const archive = await readChartArchive(body, { file });
        const created = wholeSeconds(info.lastModified);
        return {
          state: 'present',
          info,
          version: chartVersion(archive, { file, created, baseUrl: this.options.baseUrl }),
        } as const;
      } catch (error) {
        // A bad chart is a fact about the object; anything else (I/O) aborts the repository's update.
        if (error instanceof ChartRejectedError) return { state: 'rejected', info, error } as const;
        throw error;
      }
    });
    return observation ?? { state: 'absent' };
  }
}

export type EntryChange = 'added' | 'updated' | 'removed' | 'unchanged';

/**
 * Applies one observation to the index entry of `file`. A rejected object removes the entry: the bytes at that
 * key are what Helm would download, so a bad re-upload over a good chart must not keep advertising the old digest.
 */
export function applyObservation(index: RepositoryIndex, file: string, observation: Observation): EntryChange {
  if (observation.state !== 'present') return index.removeFile(file) ? 'removed' : 'unchanged';
  const existing = index.entryForFile(file);
  if (existing !== undefined && sameEntry(existing, observation.version)) return 'unchanged';
  index.add(observation.version);
  return existing === undefined ? 'added' : 'updated';
}

/**
 * Same bytes (digest), same LastModified and same urls: nothing to write. Comparing these rather than the whole
 * entry keeps replays no-ops even if an index written by another tool carries fields in another form.
 */
function sameEntry(a: ChartVersion, b: ChartVersion): boolean {
  return (
    a.digest === b.digest &&
    sameSecond(a.created, b.created) &&
    a.urls.length === b.urls.length &&
    a.urls.every((url, i) => url === b.urls[i])
  );
}

/** True when an index entry's `created` (RFC 3339) and an object's LastModified are the same second. */
export function sameSecond(created: string | Date, lastModified: string | Date): boolean {
  const a = new Date(created).getTime();
  const b = new Date(lastModified).getTime();
  return Number.isFinite(a) && Number.isFinite(b) && Math.floor(a / 1000) === Math.floor(b / 1000);
}

/**
 * `created` is LastModified truncated to the second: GET and HEAD give whole seconds, listings may give
 * milliseconds, and the same object must always produce the same entry.
 */
export function wholeSeconds(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

function sameObject(a: ObjectInfo, b: ObjectInfo): boolean {
  return a.etag === b.etag && a.sizeBytes === b.sizeBytes && sameSecond(a.lastModified, b.lastModified);
}
