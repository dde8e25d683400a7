/**
 * The lost-update race that a "write only when something changed" rule lets through, played step by step:
 * writer A sees chart K and is about to publish it; K is deleted; writer B handles the delete and finds nothing
 * to change. Unless B still writes, A's conditional write succeeds and K is published after its deletion, with
 * no event left to remove it.
 */
import { ChartObserver } from '../../lambda/indexer/chart-observer';
import { DEFAULT_RETRY_POLICY } from '../../lambda/indexer/retry';
import { syncKeys } from '../../lambda/indexer/sync-keys';
import type { IndexerObserver } from '../../lambda/indexer/telemetry';
import type { RepositoryTarget } from '../../lambda/indexer/update-repository';
import { smallChartArchive } from '../support/chart-archive';
import { MemoryStore } from './memory-store';

const silent: IndexerObserver = {
  chartRejected: () => {},
  writeConflict: () => {},
  indexWritten: () => {},
  note: () => {},
};
const bucket = 'charts';
const key = 'stable/k-1.0.0.tgz';

function target(store: MemoryStore): RepositoryTarget {
  return { store, bucket, prefix: 'stable/', format: 'json', retry: DEFAULT_RETRY_POLICY, observer: silent };
}

function sync(store: MemoryStore) {
  return syncKeys(target(store), [key], new ChartObserver({ store, bucket }), { readConcurrency: 1 });
}

function indexedFiles(store: MemoryStore): string[] {
  const text = store.objects.get('stable/index.yaml')?.text;
  if (text === undefined) return [];
  const entries = (JSON.parse(text) as { entries: Record<string, { urls: string[] }[]> }).entries;
  return Object.values(entries).flatMap((versions) => versions.map((version) => version.urls[0]));
}

test('a chart deleted while another writer is publishing it does not come back', async () => {
  const store = new MemoryStore();
  const bytes = smallChartArchive({ name: 'k', version: '1.0.0' });
  store.objects.set(key, { info: { key, etag: 'k1', lastModified: new Date(), sizeBytes: bytes.length }, bytes });

  // A reads the (absent) index, fetches K, and pauses before it can write.
  let release!: () => void;
  const paused = new Promise<void>((resolve) => {
    store.afterFetch = () => {
      store.afterFetch = undefined;
      resolve();
      return new Promise<void>((resume) => (release = resume));
    };
  });
  const writerA = sync(store);
  await paused;

  // K is deleted; B handles the delete event completely while A is paused.
  store.objects.delete(key);
  const resultB = await sync(store);
  expect(resultB.written).toBe(true);

  release();
  const resultA = await writerA;
  expect(resultA.conflicts).toBeGreaterThan(0);
  expect(indexedFiles(store)).toEqual([]);
});

test('without the race, a replayed event rewrites the same entries', async () => {
  const store = new MemoryStore();
  const bytes = smallChartArchive({ name: 'k', version: '1.0.0' });
  store.objects.set(key, { info: { key, etag: 'k1', lastModified: new Date(), sizeBytes: bytes.length }, bytes });
  await sync(store);
  const first = indexedFiles(store);
  await sync(store);
  expect(first).toEqual(['k-1.0.0.tgz']);
  expect(indexedFiles(store)).toEqual(first);
});
