/**
 * Structured JSON logs and CloudWatch EMF metrics through Powertools for AWS Lambda. The update logic reports
 * what happened through the IndexerObserver interface and never touches the logger or metrics itself.
 *
 * Metrics (namespace `HelmChartRepository`, dimension `service`): ChartsIndexed, ChartsRejected,
 * IndexWriteConflicts, IndexWrites (Count), IndexSizeBytes (Bytes, one value per write), BatchDurationMs
 * (Milliseconds, one per invocation). The construct alarms on ChartsRejected: keep these names.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, Metrics } from '@aws-lambda-powertools/metrics';
import type { ChartRejectedError } from '../engine';

export const METRICS_NAMESPACE = 'HelmChartRepository';
/** Default `service` dimension of every metric (POWERTOOLS_SERVICE_NAME overrides it). */
export const DEFAULT_SERVICE_NAME = 'helm-chart-indexer';

/** What the update logic reports. */
export interface IndexerObserver {
  chartRejected(detail: { bucket: string; key: string; error: ChartRejectedError; entryRemoved: boolean }): void;
  writeConflict(detail: { bucket: string; indexKey: string; attempt: number }): void;
  indexWritten(detail: IndexWrite): void;
  /** Everything else worth a log line, at info or warn. */
  note(level: 'info' | 'warn', message: string, detail: Record<string, unknown>): void;
}

export interface IndexWrite {
  readonly bucket: string;
  readonly indexKey: string;
  readonly sizeBytes: number;
  readonly versionCount: number;
  /** Entries added or replaced by this write (ChartsIndexed). */
  readonly indexed: number;
  readonly removed: number;
  readonly attempt: number;
}

/** Counts summed over one invocation and published as one EMF document. */
interface Counters {
  indexed: number;
  rejected: number;
  conflicts: number;
  writes: number;
  indexSizes: number[];
}

export class Telemetry implements IndexerObserver {
  readonly logger: Logger;
  private readonly metrics: Metrics;
  private counters: Counters = emptyCounters();

  constructor(serviceName = process.env.POWERTOOLS_SERVICE_NAME || DEFAULT_SERVICE_NAME) {
    this.logger = new Logger({ serviceName });
    this.metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName });
  }

  chartRejected(detail: { bucket: string; key: string; error: ChartRejectedError; entryRemoved: boolean }): void {
    this.counters.rejected += 1;
    const { error } = detail;
    this.logger.warn(
      detail.entryRemoved
        ? 'chart rejected; its previous index entry was removed because the object at this key is no longer a valid chart'
        : 'chart rejected; not indexed',
      {
        bucket: detail.bucket,
        key: detail.key,
        reason: error.reason,
        expected: error.expected,
        code: error.code,
        error: error.message,
      },
    );
  }

  writeConflict(detail: { bucket: string; indexKey: string; attempt: number }): void {
    this.counters.conflicts += 1;
    this.logger.info('index changed since it was read; re-reading and re-applying', detail);
  }

  indexWritten(detail: IndexWrite): void {
    this.counters.writes += 1;
    this.counters.indexed += detail.indexed;
    this.counters.indexSizes.push(detail.sizeBytes);
    this.logger.info('index written', { ...detail });
  }

  note(level: 'info' | 'warn', message: string, detail: Record<string, unknown>): void {
    this.logger[level](message, detail);
  }

  /** Publishes the invocation's metrics (always, also when it failed) and resets the counters. */
  flush(durationMs: number): void {
    const c = this.counters;
    this.counters = emptyCounters();
    this.metrics.addMetric('ChartsIndexed', MetricUnit.Count, c.indexed);
    this.metrics.addMetric('ChartsRejected', MetricUnit.Count, c.rejected);
    this.metrics.addMetric('IndexWriteConflicts', MetricUnit.Count, c.conflicts);
    this.metrics.addMetric('IndexWrites', MetricUnit.Count, c.writes);
    for (const size of c.indexSizes.slice(-100)) this.metrics.addMetric('IndexSizeBytes', MetricUnit.Bytes, size);
    this.metrics.addMetric('BatchDurationMs', MetricUnit.Milliseconds, durationMs);
    this.metrics.publishStoredMetrics();
  }
}

function emptyCounters(): Counters {
  return { indexed: 0, rejected: 0, conflicts: 0, writes: 0, indexSizes: [] };
}
