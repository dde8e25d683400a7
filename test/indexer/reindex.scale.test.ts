/**
 * Reindex at scale: one repository of 100,000 charts already indexed plus 100 new ones. The listing is paged
 * (1,000 keys a page, as S3 pages), only the 100 new archives are read, never more than READ_CONCURRENCY at a
 * time, and memory stays bounded. The store is an in-memory ObjectStore (no SDK involved): radosgw would need
 * minutes just to receive 100,000 uploads; the S3 side of reindex is covered against radosgw elsewhere.
 */
import { ChartObserver } from '../../lambda/indexer/chart-observer';
import { reindexFolder } from '../../lambda/indexer/reindex';
import { DEFAULT_RETRY_POLICY } from '../../lambda/indexer/retry';
import type { IndexerObserver } from '../../lambda/indexer/telemetry';
import { smallChartArchive } from '../support/chart-archive';
import { MemoryStore } from './memory-store';

const EXISTING = 100_000;
const NEW = 100;
const PAGE = 1000;
const silent: IndexerObserver = {
  chartRejected: () => {},
  writeConflict: () => {},
  indexWritten: () => {},
  note: () => {},
};

test(`reindex of ${EXISTING} indexed charts + ${NEW} new: pages the listing, reads only the new ones, bounded`, async () => {
  const store = new MemoryStore();
  const lastModified = new Date('2026-11-01T10:00:00Z');
  const digest = 'ab'.repeat(32);
  const entries: Record<string, unknown[]> = {};
  for (let i = 0; i < EXISTING; i++) {
    const key = `big/app${i % 100}-1.${Math.floor(i / 100)}.0.tgz`;
    store.objects.set(key, { info: { key, etag: `e${i}`, lastModified, sizeBytes: 4000 } });
    (entries[`app${i % 100}`] ??= []).push({
      apiVersion: 'v2',
      name: `app${i % 100}`,
      version: `1.${Math.floor(i / 100)}.0`,
      urls: [key.slice(4)],
      created: lastModified.toISOString(),
      digest,
    });
  }
  const indexText = JSON.stringify({ apiVersion: 'v1', entries, generated: lastModified.toISOString() });
  store.objects.set('big/index.yaml', {
    info: { key: 'big/index.yaml', etag: 'idx0', lastModified, sizeBytes: indexText.length },
    text: indexText,
  });
  const newest = new Date('2026-11-27T07:00:00Z');
  for (let i = 0; i < NEW; i++) {
    const key = `big/fresh${i}-0.1.0.tgz`;
    const bytes = smallChartArchive({ name: `fresh${i}`, version: '0.1.0' });
    store.objects.set(key, { info: { key, etag: `n${i}`, lastModified: newest, sizeBytes: bytes.length }, bytes });
  }

  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  let heapPeak = heapBefore;
  const sampler = setInterval(() => (heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed)), 20);
  const started = Date.now();
  const result = await reindexFolder(
    { store, bucket: 'b', prefix: 'big/', format: 'json', retry: DEFAULT_RETRY_POLICY, observer: silent },
    new ChartObserver({ store, bucket: 'b' }),
    { deep: false, readConcurrency: 8 },
  );
  const elapsedMs = Date.now() - started;
  clearInterval(sampler);

  expect(result).toMatchObject({
    written: true,
    kept: EXISTING,
    read: NEW,
    indexed: NEW,
    removed: 0,
    versionCount: EXISTING + NEW,
  });
  expect(store.counts).toMatchObject({ reads: NEW, writes: 1, listPages: Math.ceil((EXISTING + NEW) / PAGE) });
  expect(store.counts.peakInFlight).toBeLessThanOrEqual(8);
  const written = JSON.parse(store.objects.get('big/index.yaml')!.text!) as { entries: Record<string, unknown[]> };
  expect(Object.values(written.entries).flat()).toHaveLength(EXISTING + NEW);
  const heapGrowthMiB = (heapPeak - heapBefore) / 2 ** 20;
  process.stderr.write(
    `reindex scale: ${EXISTING} kept + ${NEW} read in ${elapsedMs} ms, ${store.counts.listPages} list pages, ` +
      `1 index read, ${store.counts.writes} write (${(indexText.length / 2 ** 20).toFixed(1)} MiB JSON index), ` +
      `heap growth ${heapGrowthMiB.toFixed(0)} MiB\n`,
  );
  // The index itself is in memory (it is the product); archives never are. Generous bound for GC timing.
  expect(heapGrowthMiB).toBeLessThan(1024);
}, 120_000);
