/**
 * Local repository mode: the local S3 endpoint, the bundled indexer fed with AWS-shaped events for every
 * object created or removed, and the read-only repository HTTP server, all on 127.0.0.1, state in one folder.
 */
import { lockDataDir } from './data-dir-lock';
import { EventQueue } from './event-queue';
import { chartsInIndex, compareIndexes, type IndexedChart } from './index-changes';
import { invokeIndexer, loadIndexer } from './indexer-bridge';
import { captureIndexerLogs, type IndexerLogEntry } from './indexer-log';
import { listenLocal, type LocalHttpServer } from './listen';
import { FileObjectStore, type StoreChange } from './object-store';
import { createRepositoryHandler } from './repository-http';
import { createS3Api } from './s3-api';
import { eventRecord } from './s3-event-records';
import type { LocalCredentials } from './sigv4';

export interface LocalRepositoryOptions {
  readonly dataDir: string;
  readonly bucket: string;
  /** Repository HTTP port (0 = any free port). */
  readonly port: number;
  /** S3 API port (0 = any free port). */
  readonly s3Port: number;
  readonly indexFormat: 'yaml' | 'json';
  /** Path of the bundled indexer (dist/bundle/indexer/index.js). */
  readonly indexerBundle: string;
  readonly reporter: LocalRepositoryReporter;
}

/** What local mode tells the person running it, as it happens. */
export interface LocalRepositoryReporter {
  chartIndexed(key: string, chart: IndexedChart, replaced: boolean): void;
  chartRemoved(key: string, chart: IndexedChart): void;
  chartRejected(key: string, reason: string): void;
  problem(message: string): void;
}

export interface LocalRepository {
  readonly repositoryUrl: string;
  readonly s3Url: string;
  readonly credentials: LocalCredentials;
  /** Repository prefixes with an index and how many chart versions each lists. */
  readonly repositories: () => Array<{ prefix: string; charts: number }>;
  /** Resolves when no event is waiting or being indexed. */
  readonly idle: () => Promise<void>;
  readonly close: () => Promise<void>;
}

const INDEX_FILE = 'index.yaml';

/**
 * The one key pair the local S3 API accepts. Fixed, so the printed export line keeps working across restarts;
 * it is not an AWS key and only opens this 127.0.0.1 server.
 */
function localCredentials(): LocalCredentials {
  return { accessKeyId: 'LOCALCHARTREPO000000', secretAccessKey: 'local-chart-repo-secret-key-not-for-aws' };
}

export async function startLocalRepository(options: LocalRepositoryOptions): Promise<LocalRepository> {
  const { reporter, bucket } = options;
  const credentials = localCredentials();
  const snapshots = new Map<string, Map<string, IndexedChart>>();
  let queue: EventQueue | undefined;

  const onChange = (change: StoreChange) => {
    const key = change.kind === 'created' ? change.object.key : change.key;
    if (isIndexKey(key)) reportIndexChange(key, change);
    queue?.push(key.slice(0, key.lastIndexOf('/') + 1), eventRecord(bucket, change));
  };
  const unlock = lockDataDir(options.dataDir); // before the store clears its temporary folder
  let store: FileObjectStore;
  try {
    store = await FileObjectStore.open({ dataDir: options.dataDir, bucket, onChange });
  } catch (error) {
    unlock();
    throw error;
  }

  function reportIndexChange(indexKey: string, change: StoreChange): void {
    const prefix = indexKey.slice(0, -INDEX_FILE.length);
    const before = snapshots.get(indexKey) ?? new Map<string, IndexedChart>();
    const after =
      change.kind === 'created' ? chartsInIndex(store.readWhole(change.object).toString('utf8'), indexKey) : new Map();
    snapshots.set(indexKey, after);
    const changes = compareIndexes(before, after);
    const keyOf = (chart: IndexedChart) => prefix + chart.file;
    for (const chart of changes.added) reporter.chartIndexed(keyOf(chart), chart, false);
    for (const chart of changes.replaced) reporter.chartIndexed(keyOf(chart), chart, true);
    for (const chart of changes.removed) reporter.chartRemoved(keyOf(chart), chart);
  }

  for (const info of store.list()) {
    if (isIndexKey(info.key)) snapshots.set(info.key, chartsInIndex(store.readWhole(info).toString('utf8'), info.key));
  }

  const api = createS3Api({
    store,
    bucket,
    credentials,
    onInternalError: (error, request) =>
      reporter.problem(`S3 ${request} failed: ${(error as Error)?.message ?? error}`),
  });
  const servers: LocalHttpServer[] = [];
  let restoreStdout: (() => void) | undefined;
  try {
    servers.push(await listenLocal('S3 API (--s3-port)', options.s3Port, api.handle));
    servers.push(await listenLocal('chart repository (--port)', options.port, createRepositoryHandler(store)));
    const handler = loadIndexer(options.indexerBundle, {
      s3Endpoint: servers[0].url,
      bucket,
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      indexFormat: options.indexFormat,
    });
    restoreStdout = captureIndexerLogs((entry) => reportLogEntry(entry, reporter));
    queue = new EventQueue({
      deliver: async (event) => {
        await invokeIndexer(handler, event);
      },
      onGiveUp: (prefix, records, error) =>
        reporter.problem(
          `indexing ${records.length} change(s) in "${prefix}" failed 3 times (${(error as Error)?.message ?? error}); restart to reindex`,
        ),
    });
    // Whatever is in the data directory already (from an earlier run, or copied in) gets indexed now.
    await invokeIndexer(handler, { action: 'reindex', bucket }).catch((error: unknown) =>
      reporter.problem(`reindex at start failed: ${(error as Error)?.message ?? error}`),
    );
  } catch (error) {
    restoreStdout?.();
    await Promise.all(servers.map((server) => server.close()));
    api.close();
    unlock();
    throw error;
  }

  return {
    s3Url: servers[0].url,
    repositoryUrl: servers[1].url,
    credentials,
    repositories: () =>
      [...snapshots.entries()]
        .filter(([, charts]) => charts.size > 0)
        .map(([indexKey, charts]) => ({ prefix: indexKey.slice(0, -INDEX_FILE.length), charts: charts.size }))
        .sort((a, b) => (a.prefix < b.prefix ? -1 : 1)),
    idle: async () => queue?.idle(),
    close: async () => {
      await queue?.stop();
      await Promise.all(servers.map((server) => server.close()));
      api.close();
      restoreStdout?.();
      store.removeTempFolder();
      unlock();
    },
  };
}

function reportLogEntry(entry: IndexerLogEntry, reporter: LocalRepositoryReporter): void {
  if (entry.message.startsWith('chart rejected') && typeof entry.key === 'string') {
    // The engine's reason and expectation, without its file-name prefix (the key already says which file).
    const reason =
      typeof entry.reason === 'string'
        ? `${entry.reason}${typeof entry.expected === 'string' ? `; expected ${entry.expected}` : ''}`
        : String(entry.error ?? entry.message);
    reporter.chartRejected(entry.key, reason);
  } else if (entry.level === 'ERROR' || entry.level === 'CRITICAL') {
    const error = entry.error as { message?: string } | undefined;
    const detail = error?.message ?? (typeof entry.prefix === 'string' ? `prefix "${entry.prefix}"` : '');
    reporter.problem(`indexer: ${entry.message}${detail ? ` (${detail})` : ''}`);
  }
}

function isIndexKey(key: string): boolean {
  return key === INDEX_FILE || key.endsWith(`/${INDEX_FILE}`);
}
