/**
 * `npm run soak -- [--charts N] [--deletes N] [--workers N] [--s3-fault-rate F] [--crash-rate F] [--replays N] [--seed N]`
 * runs one scenario end to end on its own fresh radosgw and prints a table, then `lost=N phantom=N wrong=N`
 * last; exits non-zero unless all three are 0 (and no index write ever dropped a live chart).
 * `npm run soak -- --reindex-scale [--existing N] [--new N]` measures the reindex action at scale instead.
 */
import { Command, InvalidArgumentError } from 'commander';
import { radosgwAvailable, installCommand } from '../test/support/radosgw';
import { runReindexScale } from './soak/reindex-scale';
import { runScenario } from './soak/scenario';

function count(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0)
    throw new InvalidArgumentError(`expected a whole number >= 0, received "${value}"`);
  return n;
}

function positive(value: string): number {
  const n = count(value);
  if (n < 1) throw new InvalidArgumentError(`expected a whole number >= 1, received "${value}"`);
  return n;
}

function rate(value: string): number {
  const n = Number(value);
  if (!(n >= 0 && n <= 1)) throw new InvalidArgumentError(`expected a fraction between 0 and 1, received "${value}"`);
  return n;
}

const program = new Command('soak')
  .description('Runs the indexer end to end on a fresh radosgw and checks the index with the real helm.')
  .option('--charts <n>', 'valid charts to publish', count, 200)
  .option('--deletes <n>', 'charts deleted with aws s3 rm, interleaved', count, 50)
  .option('--overwrites <n>', 'charts re-uploaded with new bytes (default: charts / 40, at most 5)', count)
  .option('--workers <n>', 'concurrent handler instances', positive, 4)
  .option(
    '--s3-fault-rate <f>',
    'fraction of handler S3 requests that fail (500, 503 SlowDown, reset, timeout)',
    rate,
    0,
  )
  .option('--crash-rate <f>', 'fraction of invocations killed mid-batch', rate, 0)
  .option('--replays <n>', 'deliver every event n times, shuffled', positive, 1)
  .option('--seed <n>', 'seed of every random choice (plan, faults, crashes, shuffles)', count, 1)
  .option('--publishers <n>', 'aws s3 cp/rm processes at a time', positive, 8)
  .option('--batch-size <n>', 'SQS batch size', positive, 10)
  .option('--batch-window-ms <n>', 'SQS maximum batching window', count, 500)
  .option('--visibility-timeout <s>', 'SQS visibility timeout, seconds', positive, 30)
  .option('--lambda-timeout <s>', 'Lambda timeout, seconds (at most the visibility timeout)', positive, 15)
  .option('--bundle <path>', 'the bundled handler to run (default dist/bundle/indexer/index.js, built if missing)')
  .option('--keep-logs', 'keep the handler log even when the run passes', false)
  .option('--reindex-scale', 'measure reindex of --existing charts + --new charts instead of a scenario', false)
  .option('--existing <n>', 'reindex-scale: charts already indexed', count, 10_000)
  .option('--new <n>', 'reindex-scale: charts added before the second reindex', count, 100)
  .allowExcessArguments(false);

async function main(): Promise<number> {
  program.parse();
  const o = program.opts();
  if (!radosgwAvailable()) {
    process.stderr.write(`soak: radosgw is not installed; run \`${installCommand}\`\n`);
    return 2;
  }
  if (o.reindexScale) return runReindexScale({ existing: o.existing, added: o.new, seed: o.seed, bundle: o.bundle });
  if (o.deletes > o.charts) throw new InvalidArgumentError(`--deletes ${o.deletes} is more than --charts ${o.charts}`);
  return runScenario({
    charts: o.charts,
    deletes: o.deletes,
    overwrites: o.overwrites ?? Math.min(5, Math.floor(o.charts / 40)),
    workers: o.workers,
    s3FaultRate: o.s3FaultRate,
    crashRate: o.crashRate,
    replays: o.replays,
    seed: o.seed,
    publishers: o.publishers,
    batchSize: o.batchSize,
    batchWindowMs: o.batchWindowMs,
    visibilityTimeoutMs: o.visibilityTimeout * 1000,
    lambdaTimeoutMs: o.lambdaTimeout * 1000,
    keepLogs: o.keepLogs,
    bundle: o.bundle,
  });
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`soak failed: ${error.stack ?? error.message}\n`);
    process.exit(2);
  },
);
