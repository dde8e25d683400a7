/**
 * One soak scenario end to end: fresh radosgw, the harness (SQS + N handler instances + fault proxy), real
 * `aws s3 cp`/`rm` publishers, then the verdict read through the real helm. Returns the exit code.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { awsCli, helmBinary } from '../../test/support/tools';
import { startHarness, type Harness, type HarnessOptions } from '../harness/harness';
import { Prng } from '../harness/prng';
import { ensureBundle, startSoakCluster, type SoakCluster } from './cluster';
import { startHelmView } from './helm-view';
import { compareWithInOrderDelivery } from './in-order';
import { planScenario, REPOSITORIES } from './plan';
import { publish } from './publish';
import { formatMs, percentile, table } from './report';
import { verify, type Verdict } from './verify';

export interface ScenarioOptions {
  readonly charts: number;
  readonly deletes: number;
  readonly overwrites: number;
  readonly workers: number;
  readonly s3FaultRate: number;
  readonly crashRate: number;
  readonly replays: number;
  readonly seed: number;
  readonly publishers: number;
  readonly batchSize: number;
  readonly batchWindowMs: number;
  readonly visibilityTimeoutMs: number;
  readonly lambdaTimeoutMs: number;
  readonly keepLogs: boolean;
  /** The bundled handler; default dist/bundle/indexer/index.js. */
  readonly bundle?: string;
}

const say = (text: string) => process.stdout.write(`${text}\n`);

export async function runScenario(options: ScenarioOptions): Promise<number> {
  const bundle = ensureBundle(options.bundle);
  const started = Date.now();
  const workDir = mkdtempSync(join(tmpdir(), 'soak-'));
  const logFile = join(workDir, 'handler.log');
  let cluster: SoakCluster | undefined;
  let harness: Harness | undefined;
  const helm = startHelmView(helmBinary());
  try {
    say(`soak: ${JSON.stringify(options)}`);
    cluster = await startSoakCluster();
    const { rgw, s3, bucket } = cluster;
    say(`soak: radosgw at ${rgw.endpoint} (${formatMs(Date.now() - started)})`);
    const common: HarnessOptions = {
      s3: rgw,
      bucket,
      bundle,
      workers: options.workers,
      batchSize: options.batchSize,
      batchWindowMs: options.batchWindowMs,
      visibilityTimeoutMs: options.visibilityTimeoutMs,
      lambdaTimeoutMs: options.lambdaTimeoutMs,
      logFile,
    };
    harness = await startHarness({
      ...common,
      replays: options.replays,
      s3FaultRate: options.s3FaultRate,
      crashRate: options.crashRate,
      seed: options.seed,
    });
    const cli = awsCli();
    await harness.connectBucket(s3, cli);

    const plan = planScenario({
      charts: options.charts,
      deletes: options.deletes,
      overwrites: options.overwrites,
      prng: new Prng(options.seed).fork('plan'),
    });
    const log = await publish({
      steps: plan.steps,
      bucket,
      awsCli: cli,
      env: rgw.env,
      concurrency: options.publishers,
      workDir: join(workDir, 'objects'),
    });
    say(`soak: ${log.commands} aws s3 commands done in ${formatMs(log.durationMs)}; waiting for quiet`);
    const quietStarted = Date.now();
    await harness.waitForQuiet({ quietMs: 1_500, timeoutMs: 600_000 });
    const drainMs = Date.now() - quietStarted;
    const primary = harness;
    const requests = primary.proxy.stats.requests;

    const prefixes = REPOSITORIES.map((repo) => repo.prefix);
    const verdict = await verify({
      s3,
      bucket,
      endpoint: rgw.endpoint,
      prefixes,
      log,
      helm,
      indexWrites: primary.indexWrites,
      firstCreatedAt: primary.firstCreatedAt,
    });

    let inOrder: string | undefined;
    if (options.replays > 1) {
      await harness.close();
      harness = undefined;
      inOrder = await compareWithInOrderDelivery({ cluster, prefixes, events: primary.events, harness: common });
      if (inOrder !== 'identical')
        verdict.problems.push(`replayed index differs from a single in-order delivery: ${inOrder}`);
    }

    const failed =
      verdict.lost + verdict.phantom + verdict.wrong + verdict.regressions > 0 ||
      (inOrder !== undefined && inOrder !== 'identical');
    say('');
    for (const problem of verdict.problems.slice(0, 50)) say(`problem: ${problem}`);
    if (verdict.problems.length > 50) say(`problem: ... and ${verdict.problems.length - 50} more`);
    const published = [...log.firstPutReturnedAt.keys()].length;
    say(
      report({
        options,
        harness: primary,
        verdict,
        published,
        commands: log.commands,
        publishMs: log.durationMs,
        drainMs,
        requests,
        inOrder,
        totalMs: Date.now() - started,
      }),
    );
    if (failed || options.keepLogs) say(`handler log kept: ${logFile}`);
    else rmSync(workDir, { recursive: true, force: true });
    say(`lost=${verdict.lost} phantom=${verdict.phantom} wrong=${verdict.wrong}`);
    return failed ? 1 : 0;
  } finally {
    await harness?.close();
    await cluster?.close();
    helm.close();
  }
}

interface ReportInput {
  readonly options: ScenarioOptions;
  readonly harness: Harness;
  readonly verdict: Verdict;
  /** Objects uploaded (charts, .prov, other files). */
  readonly published: number;
  readonly commands: number;
  readonly publishMs: number;
  readonly drainMs: number;
  /** S3 requests the handler sent during the scenario (before any in-order reference run). */
  readonly requests: number;
  readonly inOrder?: string;
  readonly totalMs: number;
}

function report(input: ReportInput): string {
  const { harness, verdict, options } = input;
  const m = harness.mapping.stats;
  const p = harness.proxy.stats;
  const writes = harness.indexWrites.filter((w) => w.status === 200).length;
  const conflicts = harness.indexWrites.filter((w) => w.status === 412 || w.status === 409).length;
  const uploadedCharts = options.charts + Math.min(options.overwrites, options.charts);
  const faults = Object.entries(p.faults)
    .map(([kind, n]) => `${kind} ${n}`)
    .join(', ');
  const metrics = Object.entries(harness.metrics)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, value]) => [`  ${name}`, Number.isInteger(value) ? value : value.toFixed(1)] as const);
  return table([
    ['scenario', ''],
    ['charts / deletes / overwrites', `${options.charts} / ${options.deletes} / ${options.overwrites}`],
    ['objects uploaded (charts, .prov, other)', input.published],
    ['aws s3 cp/rm commands', `${input.commands} in ${formatMs(input.publishMs)}, ${options.publishers} at a time`],
    ['handler instances', options.workers],
    ['s3 fault rate / crash rate / replays', `${options.s3FaultRate} / ${options.crashRate} / ${options.replays}`],
    ['delivery', ''],
    ['events received from radosgw', harness.events.length],
    ['SQS messages sent (with replays)', harness.queue.sent],
    ['invocations (cold starts)', `${m.invocations} (${m.coldStarts})`],
    ['crashes / timeouts / errors / died', `${m.crashes} / ${m.timeouts} / ${m.errors} / ${m.died}`],
    ['batch item failures', m.itemFailures],
    ['retries (redelivered messages)', m.redeliveries],
    ['malformed batch responses', m.malformedResults],
    ['dead-lettered messages', deadLetters(harness)],
    ['drain time after last publish', formatMs(input.drainMs)],
    ['S3', ''],
    ['index writes (200)', writes],
    ['index write conflicts (412/409)', conflicts],
    ['index versions checked for regressions', verdict.indexVersions],
    [
      'S3 requests by the handler',
      `${input.requests} (${Object.entries(p.byMethod)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')})`,
    ],
    ['S3 requests per uploaded chart', (input.requests / Math.max(1, uploadedCharts)).toFixed(2)],
    ['faults injected', faults],
    [
      'latency (publish: from aws s3 cp returning, < 0 = indexed before the CLI exited; PUT: from the S3 PUT completing)',
      '',
    ],
    ['publish-to-visible median', formatMs(percentile(verdict.latenciesMs, 50))],
    ['publish-to-visible p95', formatMs(percentile(verdict.latenciesMs, 95))],
    ['publish-to-visible max', formatMs(percentile(verdict.latenciesMs, 100))],
    ['PUT-to-visible median', formatMs(percentile(verdict.putLatenciesMs, 50))],
    ['PUT-to-visible p95', formatMs(percentile(verdict.putLatenciesMs, 95))],
    ['verdict', ''],
    ['valid charts expected in the index', verdict.expected],
    ['odd-key charts pulled with helm', verdict.pulls],
    ['history regressions (a write dropped a live chart)', verdict.regressions],
    ...(input.inOrder !== undefined ? ([['replayed vs single in-order delivery', input.inOrder]] as const) : []),
    ['total time', formatMs(input.totalMs)],
    ...(metrics.length > 0 ? ([['handler metrics (EMF sums)', ''], ...metrics] as const) : []),
  ]);
}

/** `N (key, key, ...)`: which objects' events ended in the DLQ (decoded keys). */
function deadLetters(harness: Harness): string {
  const letters = harness.queue.deadLetters;
  if (letters.length === 0) return '0';
  const keys = letters.map((message) => {
    try {
      const key = (JSON.parse(message.body) as { Records: { s3: { object: { key: string } } }[] }).Records[0].s3.object
        .key;
      return decodeURIComponent(key.replace(/\+/g, ' '));
    } catch {
      return '?';
    }
  });
  return `${letters.length} (${keys.slice(0, 6).join(', ')}${keys.length > 6 ? ', ...' : ''})`;
}
