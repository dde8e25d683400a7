/**
 * SQS + Lambda on one machine: radosgw pushes bucket events here, each record is rewritten into the AWS S3
 * event shape and sent to a simulated SQS queue (k times, at shuffled moments, when replaying), and an event
 * source mapping runs N concurrent instances of the bundled handler, whose S3 traffic passes a fault proxy.
 *
 * ```ts
 * const harness = await startHarness({ s3: rgw, bucket: 'charts', bundle, workers: 4, ... });
 * await harness.connectBucket(s3Client, awsCli());  // radosgw -> harness
 * ... publish ...
 * await harness.waitForQuiet();
 * await harness.close();
 * ```
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { createWriteStream, type WriteStream } from 'node:fs';
import { toAwsRecord, s3NotificationBody, type RadosgwRecord } from './aws-s3-event';
import { configureBucketNotifications, startEventReceiver, type EventReceiver } from './event-receiver';
import { EventSourceMapping } from './event-source-mapping';
import { startFaultProxy, type FaultProxy, type IndexWriteObservation } from './fault-proxy';
import { LambdaInstance } from './lambda-instance';
import { Prng } from './prng';
import { SimulatedQueue } from './queue';

export interface HarnessOptions {
  /** The real S3 (radosgw): endpoint and credentials. */
  readonly s3: { readonly endpoint: string; readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly bucket: string;
  /** Path of the bundled handler (dist/bundle/indexer/index.js). */
  readonly bundle: string;
  /** Concurrent handler instances. */
  readonly workers: number;
  readonly batchSize?: number;
  readonly batchWindowMs?: number;
  /** SQS visibility timeout. Default 20 s. */
  readonly visibilityTimeoutMs?: number;
  /** Lambda timeout; AWS requires it to be at most the visibility timeout. Default 10 s (capped at it). */
  readonly lambdaTimeoutMs?: number;
  readonly maxReceiveCount?: number;
  /** Deliver every event this many times, each copy at a random moment within replayWindowMs. Default 1. */
  readonly replays?: number;
  readonly replayWindowMs?: number;
  readonly s3FaultRate?: number;
  readonly crashRate?: number;
  readonly seed?: number;
  /** Region named in events and given to the handler. Default us-east-1. */
  readonly region?: string;
  /** Extra handler environment (INDEX_FORMAT, REPOSITORY_PREFIXES, ...). */
  readonly handlerEnv?: Record<string, string>;
  /** Where the handler's output goes (its JSON logs and EMF metrics). Default: discarded. */
  readonly logFile?: string;
}

export type IndexWrite = IndexWriteObservation;

export interface Harness {
  readonly queue: SimulatedQueue;
  readonly mapping: EventSourceMapping;
  readonly proxy: FaultProxy;
  /** The AWS-shaped bodies in receive order (one per radosgw record, before replays). */
  readonly events: readonly string[];
  /** Key (raw) -> when its first ObjectCreated event arrived: the S3 PUT was completing (pushes are synchronous). */
  readonly firstCreatedAt: ReadonlyMap<string, number>;
  /** Every index PUT that S3 answered, with its status (200 written, 412/409 conflict). */
  readonly indexWrites: readonly IndexWrite[];
  /** Sums of the handler's EMF metrics, by metric name. */
  readonly metrics: Readonly<Record<string, number>>;
  /** Points the bucket's notifications at this harness. */
  connectBucket(s3: S3Client, awsCli: string): Promise<void>;
  /** Sends one S3 notification body to the queue (as S3 would). */
  enqueue(body: string): void;
  /** Resolves once nothing is queued or running and no event arrived for `quietMs`. */
  waitForQuiet(options?: { quietMs?: number; timeoutMs?: number }): Promise<void>;
  close(): Promise<void>;
}

export async function startHarness(options: HarnessOptions): Promise<Harness> {
  const region = options.region ?? 'us-east-1';
  const visibilityTimeoutMs = options.visibilityTimeoutMs ?? 20_000;
  const lambdaTimeoutMs = Math.min(options.lambdaTimeoutMs ?? 10_000, visibilityTimeoutMs);
  const replays = options.replays ?? 1;
  const replayWindowMs = options.replayWindowMs ?? 2_000;
  const root = new Prng(options.seed ?? 1);
  const replayPrng = root.fork('replays');
  const indexWrites: IndexWrite[] = [];
  const metrics: Record<string, number> = {};
  const events: string[] = [];
  const firstCreatedAt = new Map<string, number>();
  const log: WriteStream | undefined = options.logFile ? createWriteStream(options.logFile, { flags: 'a' }) : undefined;
  let lastActivity = Date.now();

  const proxy = await startFaultProxy({
    target: options.s3.endpoint,
    faultRate: options.s3FaultRate ?? 0,
    prng: root.fork('faults'),
    onIndexWrite: (write) => indexWrites.push(write),
  });
  const queue = new SimulatedQueue({
    visibilityTimeoutMs,
    maxReceiveCount: options.maxReceiveCount ?? 5,
    region,
  });
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    AWS_ACCESS_KEY_ID: options.s3.accessKeyId,
    AWS_SECRET_ACCESS_KEY: options.s3.secretAccessKey,
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    S3_FORCE_PATH_STYLE: 'true',
    // A held ("timeout") request fails after 2 s instead of the handler's production 10 s, to keep runs short.
    S3_SOCKET_TIMEOUT_MS: '2000',
    BUCKET_NAME: options.bucket,
    AWS_LAMBDA_FUNCTION_NAME: 'indexer',
    POWERTOOLS_SERVICE_NAME: 'indexer',
    POWERTOOLS_METRICS_NAMESPACE: 'HelmChartRepository',
    NODE_OPTIONS: '--enable-source-maps',
    ...options.handlerEnv,
  };
  const onOutput = (line: string, instance: number) => {
    log?.write(`[instance ${instance}] ${line}\n`);
    collectEmf(line, metrics);
  };
  const instances = Array.from(
    { length: options.workers },
    (_, i) => new LambdaInstance(i, { bundle: options.bundle, env, proxy, onOutput }),
  );
  const mapping = new EventSourceMapping(queue, instances, {
    batchSize: options.batchSize ?? 10,
    batchWindowMs: options.batchWindowMs ?? 500,
    timeoutMs: lambdaTimeoutMs,
    crashRate: options.crashRate ?? 0,
    prng: root.fork('crashes'),
    onInvocation: () => (lastActivity = Date.now()),
  });
  mapping.start();

  function enqueue(body: string): void {
    lastActivity = Date.now();
    if (replays <= 1) {
      queue.send(body);
      return;
    }
    for (let copy = 0; copy < replays; copy++) queue.send(body, replayPrng.int(replayWindowMs));
  }

  let receiver: EventReceiver | undefined;
  let order = 0;
  return {
    queue,
    mapping,
    proxy,
    events,
    firstCreatedAt,
    indexWrites,
    metrics,
    enqueue,
    async connectBucket(s3, awsCli) {
      receiver ??= await startEventReceiver((record: RadosgwRecord) => {
        const body = s3NotificationBody(toAwsRecord(record, { region, order: ++order }));
        events.push(body);
        const key = record.s3?.object?.key;
        if (record.eventName?.includes('ObjectCreated') && key !== undefined && !firstCreatedAt.has(key)) {
          firstCreatedAt.set(key, Date.now());
        }
        enqueue(body);
      });
      await configureBucketNotifications({
        s3,
        awsCli,
        bucket: options.bucket,
        pushEndpoint: receiver.url,
        env: {
          AWS_ENDPOINT_URL: options.s3.endpoint,
          AWS_ACCESS_KEY_ID: options.s3.accessKeyId,
          AWS_SECRET_ACCESS_KEY: options.s3.secretAccessKey,
          AWS_DEFAULT_REGION: 'default',
        },
      });
    },
    async waitForQuiet({ quietMs = 1_000, timeoutMs = 300_000 } = {}) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (queue.size === 0 && mapping.idle && Date.now() - lastActivity >= quietMs) return;
        if (Date.now() > deadline) {
          throw new Error(
            `harness: not quiet after ${timeoutMs} ms (${queue.size} messages queued, ${mapping.idle ? 'no' : 'some'} invocations running)`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async close() {
      await mapping.stop();
      await Promise.all(instances.map((instance) => instance.close()));
      await receiver?.close();
      await proxy.close();
      await new Promise<void>((resolve) => (log ? log.end(resolve) : resolve()));
    },
  };
}

/** Adds the values of an EMF line (`{"_aws":{"CloudWatchMetrics":[{"Metrics":[{"Name":...}]}]}, "Name": v}`). */
export function collectEmf(line: string, into: Record<string, number>): void {
  if (!line.includes('"CloudWatchMetrics"')) return;
  let document: Record<string, unknown>;
  try {
    document = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return;
  }
  const directives = (document._aws as { CloudWatchMetrics?: { Metrics?: { Name: string }[] }[] })?.CloudWatchMetrics;
  for (const directive of directives ?? []) {
    for (const { Name } of directive.Metrics ?? []) {
      const value = document[Name];
      const values = Array.isArray(value) ? value : [value];
      for (const v of values) if (typeof v === 'number') into[Name] = (into[Name] ?? 0) + v;
    }
  }
}
