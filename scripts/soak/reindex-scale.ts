/**
 * The reindex figure: N tiny charts uploaded with the SDK (fast, concurrent), a first reindex that builds the
 * index, M new charts, a second reindex (what the figure is about: existing entries kept, only new keys
 * read), a deep reindex, and finally M event-driven publishes into the big repository (S3 requests per chart
 * should not grow with repository size). Requests are counted by the proxy in front of S3.
 */
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { awsCli } from '../../test/support/tools';
import { startFaultProxy, type FaultProxy } from '../harness/fault-proxy';
import { startHarness } from '../harness/harness';
import { LambdaInstance } from '../harness/lambda-instance';
import { Prng } from '../harness/prng';
import { ensureBundle, startSoakCluster } from './cluster';
import { indexKey, parseIndex, readText } from './index-reader';
import { formatMs, table } from './report';
import { tinyChartArchive } from './tiny-chart';

const say = (text: string) => process.stdout.write(`${text}\n`);
const PREFIX = 'scale/';

async function upload(s3: S3Client, bucket: string, from: number, to: number, concurrency = 32): Promise<number> {
  const started = Date.now();
  let next = from;
  const worker = async () => {
    while (next < to) {
      const i = next++;
      const name = `app-${i % 100}`;
      const version = `1.${Math.floor(i / 100)}.0`;
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: `${PREFIX}${name}-${version}.tgz`,
          Body: tinyChartArchive({ name, version }),
        }),
      );
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return Date.now() - started;
}

interface Measured {
  readonly label: string;
  readonly ms: number;
  readonly requests: number;
  readonly byMethod: string;
  readonly outcome: string;
  readonly rssMiB?: number;
}

async function measure(
  label: string,
  proxy: FaultProxy,
  run: () => Promise<{ outcome: string; rssMiB?: number }>,
): Promise<Measured> {
  const before = { ...proxy.stats.byMethod };
  const requestsBefore = proxy.stats.requests;
  const started = Date.now();
  const { outcome, rssMiB } = await run();
  const byMethod = Object.entries(proxy.stats.byMethod)
    .map(([method, n]) => [method, n - (before[method] ?? 0)] as const)
    .filter(([, n]) => n > 0)
    .map(([method, n]) => `${method} ${n}`)
    .join(', ');
  return {
    label,
    ms: Date.now() - started,
    requests: proxy.stats.requests - requestsBefore,
    byMethod,
    outcome,
    rssMiB,
  };
}

export async function runReindexScale(options: {
  existing: number;
  added: number;
  seed: number;
  bundle?: string;
}): Promise<number> {
  const bundle = ensureBundle(options.bundle);
  const cluster = await startSoakCluster();
  const { rgw, s3, bucket } = cluster;
  const proxy = await startFaultProxy({ target: rgw.endpoint, faultRate: 0, prng: new Prng(options.seed) });
  const env = {
    PATH: process.env.PATH ?? '',
    AWS_ACCESS_KEY_ID: rgw.accessKeyId,
    AWS_SECRET_ACCESS_KEY: rgw.secretAccessKey,
    AWS_REGION: 'us-east-1',
    S3_FORCE_PATH_STYLE: 'true',
    BUCKET_NAME: bucket,
    POWERTOOLS_LOG_LEVEL: 'WARN',
  };
  const instance = new LambdaInstance(0, { bundle, env, proxy, onOutput: () => {} });
  const results: Measured[] = [];
  let failed = false;
  const reindex = (deep: boolean) => async () => {
    const outcome = await instance.invoke({ action: 'reindex', prefix: PREFIX, deep }, 900_000);
    if (outcome.kind !== 'ok') failed = true;
    return {
      outcome: outcome.kind === 'ok' ? 'ok' : `${outcome.kind}: ${outcome.error?.slice(0, 300)}`,
      rssMiB: instance.peakRssMiB(),
    };
  };
  try {
    say(`reindex-scale: uploading ${options.existing} charts with the SDK`);
    const uploadMs = await upload(s3, bucket, 0, options.existing);
    say(`reindex-scale: uploaded in ${formatMs(uploadMs)}`);
    results.push(await measure(`reindex: build index of ${options.existing} charts`, proxy, reindex(false)));
    await upload(s3, bucket, options.existing, options.existing + options.added);
    results.push(await measure(`reindex: ${options.existing} existing + ${options.added} new`, proxy, reindex(false)));
    results.push(await measure(`deep reindex: ${options.existing + options.added} charts`, proxy, reindex(true)));
    await instance.close();

    // Event-driven publishes into the big repository, through the harness.
    const harness = await startHarness({ s3: rgw, bucket, bundle, workers: 1, seed: options.seed });
    try {
      await harness.connectBucket(s3, awsCli());
      const first = options.existing + options.added;
      const events = await measure(
        `events: ${options.added} charts into a ${first}-chart repository`,
        harness.proxy,
        async () => {
          await upload(s3, bucket, first, first + options.added, 4);
          await harness.waitForQuiet({ quietMs: 1_000, timeoutMs: 900_000 });
          const m = harness.mapping.stats;
          return { outcome: `${m.invocations} invocations, ${m.crashes + m.errors + m.timeouts + m.died} failed` };
        },
      );
      results.push(events);
    } finally {
      await harness.close();
    }

    const text = await readText(s3, bucket, indexKey(PREFIX));
    const entries = text ? parseIndex(text, `${rgw.endpoint}/${bucket}/scale`, bucket).entries.length : 0;
    const expected = options.existing + 2 * options.added;
    if (entries !== expected) failed = true;
    say('');
    say(
      table([
        ['reindex at scale', ''],
        ...results.flatMap((r) => [
          [r.label, ''] as const,
          ['time', formatMs(r.ms)] as const,
          ['S3 requests', `${r.requests} (${r.byMethod})`] as const,
          ['result', r.outcome] as const,
          ...(r.rssMiB !== undefined ? ([['handler peak RSS', `${r.rssMiB} MiB`]] as const) : []),
        ]),
        ['final index', ''],
        ['entries (expected)', `${entries} (${expected})`],
        ['index size', `${((text?.length ?? 0) / 1024 / 1024).toFixed(2)} MiB`],
      ]),
    );
    say(failed ? 'reindex-scale: FAILED' : 'reindex-scale: ok');
    return failed ? 1 : 0;
  } finally {
    await instance.close();
    await proxy.close();
    await cluster.close();
  }
}
