/**
 * Stands in for S3 -> SQS -> Lambda on a laptop: event records are queued per repository prefix and handed to
 * the indexer one batch at a time per prefix (records that arrive while a batch runs form the next batch, as an
 * SQS batching window would). A failed batch is retried with backoff, like an SQS redelivery, then reported.
 * Different prefixes run concurrently; the store's real conditional writes keep concurrent index writes safe.
 */
import type { S3EventRecord } from './s3-event-records';

export interface EventQueueOptions {
  /** Invokes the indexer with one S3 event; a rejection means the batch failed. */
  readonly deliver: (event: { Records: S3EventRecord[] }) => Promise<void>;
  /** Told when a batch failed every attempt (its events are dropped; a restart reindexes). */
  readonly onGiveUp: (prefix: string, records: readonly S3EventRecord[], error: unknown) => void;
  readonly maxAttempts?: number;
  readonly retryDelayMs?: number;
  readonly maxBatchSize?: number;
}

export class EventQueue {
  private readonly pending = new Map<string, S3EventRecord[]>();
  private readonly running = new Map<string, Promise<void>>();
  private stopped = false;

  constructor(private readonly options: EventQueueOptions) {}

  /** Queues one record for the repository folder `prefix` (`stable/`, or `''` for the bucket root). */
  push(prefix: string, record: S3EventRecord): void {
    if (this.stopped) return;
    const list = this.pending.get(prefix) ?? [];
    list.push(record);
    this.pending.set(prefix, list);
    if (!this.running.has(prefix)) {
      const run = this.drain(prefix).finally(() => this.running.delete(prefix));
      this.running.set(prefix, run);
    }
  }

  /** Resolves when every queued record has been delivered (or given up on). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running.values()]);
  }

  /** Stops taking records and waits for the batches already running. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.pending.clear();
    await Promise.all([...this.running.values()]);
  }

  private async drain(prefix: string): Promise<void> {
    const maxBatch = this.options.maxBatchSize ?? 100;
    for (;;) {
      const list = this.pending.get(prefix);
      if (list === undefined || list.length === 0 || this.stopped) {
        this.pending.delete(prefix);
        return;
      }
      const batch = list.splice(0, maxBatch);
      await this.deliverWithRetries(prefix, batch);
    }
  }

  private async deliverWithRetries(prefix: string, batch: S3EventRecord[]): Promise<void> {
    const attempts = this.options.maxAttempts ?? 3;
    const delay = this.options.retryDelayMs ?? 1_000;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.options.deliver({ Records: batch });
        return;
      } catch (error) {
        if (attempt >= attempts || this.stopped) {
          this.options.onGiveUp(prefix, batch, error);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, delay * attempt));
      }
    }
  }
}
