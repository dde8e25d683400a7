/**
 * The Lambda SQS event source mapping: polls the queue, forms batches (batch size, maximum batching window),
 * invokes idle instances concurrently, deletes what succeeded and leaves the rest to reappear after the
 * visibility timeout: items named in batchItemFailures, and whole batches whose invocation threw, crashed
 * or timed out. Malformed batchItemFailures (an unknown id) fail the whole batch, as AWS does.
 */
import type { SqsEventRecord } from './aws-s3-event';
import type { InvocationOutcome, LambdaInstance } from './lambda-instance';
import type { Prng } from './prng';
import type { SimulatedQueue } from './queue';

export interface MappingOptions {
  readonly batchSize: number;
  readonly batchWindowMs: number;
  /** The Lambda timeout (AWS requires the visibility timeout to be at least this). */
  readonly timeoutMs: number;
  /** Probability that an invocation is crashed mid-batch. */
  readonly crashRate: number;
  readonly prng: Prng;
  readonly onInvocation?: (batch: readonly SqsEventRecord[], outcome: InvocationOutcome) => void;
}

export interface MappingStats {
  invocations: number;
  coldStarts: number;
  ok: number;
  errors: number;
  crashes: number;
  timeouts: number;
  died: number;
  /** Messages reported in batchItemFailures. */
  itemFailures: number;
  /** Results whose batchItemFailures named an unknown id (the whole batch then failed). */
  malformedResults: number;
  /** Message deliveries beyond each message's first. */
  redeliveries: number;
  messagesDeleted: number;
}

export class EventSourceMapping {
  readonly stats: MappingStats = {
    invocations: 0,
    coldStarts: 0,
    ok: 0,
    errors: 0,
    crashes: 0,
    timeouts: 0,
    died: 0,
    itemFailures: 0,
    malformedResults: 0,
    redeliveries: 0,
    messagesDeleted: 0,
  };
  readonly errorSamples: string[] = [];
  private timer?: NodeJS.Timeout;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly recentRequestCounts: number[] = [];

  constructor(
    private readonly queue: SimulatedQueue,
    private readonly instances: readonly LambdaInstance[],
    private readonly options: MappingOptions,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => this.poll(), 10);
  }

  /** No invocation is running. */
  get idle(): boolean {
    return this.inFlight.size === 0;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await Promise.all(this.inFlight);
  }

  private poll(): void {
    for (const instance of this.instances) {
      if (instance.busy) continue;
      const visible = this.queue.visibleCount();
      if (visible === 0) return;
      if (visible < this.options.batchSize && this.queue.oldestVisibleAgeMs() < this.options.batchWindowMs) return;
      const batch = this.queue.receive(this.options.batchSize);
      if (batch.length === 0) continue; // everything visible went to the DLQ
      const done = this.invoke(instance, batch).finally(() => this.inFlight.delete(done));
      this.inFlight.add(done);
    }
  }

  /** Crash point: a uniform S3 request number within what invocations usually send. */
  private crashPoint(): number | undefined {
    if (!this.options.prng.chance(this.options.crashRate)) return undefined;
    const counts = [...this.recentRequestCounts].sort((a, b) => a - b);
    const typical = counts.length > 0 ? counts[Math.floor(counts.length / 2)] : 4;
    return 1 + this.options.prng.int(Math.max(1, typical));
  }

  private async invoke(instance: LambdaInstance, batch: SqsEventRecord[]): Promise<void> {
    const stats = this.stats;
    stats.invocations++;
    for (const record of batch) if (Number(record.attributes.ApproximateReceiveCount) > 1) stats.redeliveries++;
    const outcome = await instance.invoke({ Records: batch }, this.options.timeoutMs, this.crashPoint());
    if (outcome.coldStart) stats.coldStarts++;
    this.options.onInvocation?.(batch, outcome);
    if (outcome.kind !== 'ok') {
      stats[
        outcome.kind === 'error'
          ? 'errors'
          : outcome.kind === 'crash'
            ? 'crashes'
            : outcome.kind === 'timeout'
              ? 'timeouts'
              : 'died'
      ]++;
      if (outcome.kind !== 'crash') this.sample(`${outcome.kind}: ${outcome.error}`);
      return; // nothing deleted: the whole batch reappears after the visibility timeout
    }
    stats.ok++;
    this.recentRequestCounts.push(outcome.requests);
    if (this.recentRequestCounts.length > 50) this.recentRequestCounts.shift();
    const failed = failedIds(outcome.result, batch);
    if (failed === 'malformed') {
      stats.malformedResults++;
      this.sample(`malformed result: ${JSON.stringify(outcome.result).slice(0, 300)}`);
      return;
    }
    stats.itemFailures += failed.size;
    for (const record of batch) {
      if (!failed.has(record.messageId) && this.queue.delete(record.messageId, record.receiptHandle))
        stats.messagesDeleted++;
    }
  }

  private sample(text: string): void {
    if (this.errorSamples.length < 20) this.errorSamples.push(text.slice(0, 2000));
  }
}

/** The ids in `batchItemFailures`; 'malformed' when it is not a list of known `itemIdentifier`s. */
export function failedIds(result: unknown, batch: readonly SqsEventRecord[]): Set<string> | 'malformed' {
  if (result === null || result === undefined) return new Set();
  if (typeof result !== 'object') return 'malformed';
  const failures = (result as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return new Set();
  if (!Array.isArray(failures)) return 'malformed';
  const known = new Set(batch.map((record) => record.messageId));
  const ids = new Set<string>();
  for (const failure of failures) {
    const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || !known.has(id)) return 'malformed';
    ids.add(id);
  }
  return ids;
}
