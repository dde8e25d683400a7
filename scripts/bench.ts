/**
 * `npm run bench`: chart-repo (the bundled CLI) against the real `helm` v4, medians of several runs and peak
 * memory of each process, with the floors of issue 2 judged PASS / FAIL:
 *   (a) `index DIR` over 1,000 generated charts of ~200 KB:       >= 4x faster than helm, no more memory;
 *   (b) `index DIR --merge FILE`, one chart into 10,000 versions:  YAML >= 3x faster with <= 2/3 of helm's memory;
 *                                                                 JSON (--json) >= 6x faster, no more memory.
 * Options: --runs N (default 5), --charts N, --versions N, --quick (few charts, one run: a smoke test),
 * --only TEXT (only the cases whose title contains TEXT, e.g. --only JSON), --keep-env (run both tools with this
 * shell's environment as it is; by default runtime tuning variables are left out: see toolEnvironment).
 * Needs `npm run build` first (it measures dist/bundle/chart-repo.js). Fixtures are cached in .tmp/bench/.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { generateChartArchive } from '../test/support/chart-corpus';
import { helmBinary } from '../test/support/tools';
import { buildLargeIndex } from './bench-index';
import { measure, memoryMethod, toolEnvironment, type Measurement } from './bench-measure';

interface Options {
  readonly runs: number;
  readonly charts: number;
  readonly chartBytes: number;
  readonly versions: number;
  readonly quick: boolean;
  /** Only the cases whose title contains this text. */
  readonly only?: string;
  readonly keepEnv: boolean;
}

function parseOptions(argv: readonly string[]): Options {
  const quick = argv.includes('--quick');
  const value = (flag: string, fallback: number): number => {
    const at = argv.indexOf(flag);
    if (at < 0) return fallback;
    const parsed = Number(argv[at + 1]);
    if (!Number.isInteger(parsed) || parsed < 1) throw new Error(`${flag} expects a whole number >= 1`);
    return parsed;
  };
  const only = argv.indexOf('--only');
  return {
    quick,
    only: only < 0 ? undefined : argv[only + 1],
    keepEnv: argv.includes('--keep-env'),
    runs: value('--runs', quick ? 1 : 5),
    charts: value('--charts', quick ? 30 : 1000),
    chartBytes: quick ? 20_000 : 200_000,
    versions: value('--versions', quick ? 300 : 10_000),
  };
}

const root = join(__dirname, '..');
const bundle = join(root, 'dist', 'bundle', 'chart-repo.js');
const work = join(root, '.tmp', 'bench');

/** A folder of `count` charts (10 versions per chart name), generated once and reused. */
function chartFolder(count: number, bytes: number): string {
  const dir = join(work, `charts-v2-${count}x${bytes}`);
  const marker = join(dir, '.complete');
  if (existsSync(marker)) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < count; i++) {
    const name = `app-${String(Math.floor(i / 10)).padStart(3, '0')}`;
    const version = `1.${i % 10}.0`;
    writeFileSync(join(dir, `${name}-${version}.tgz`), generateChartArchive({ name, version, sizeBytes: bytes }));
  }
  writeFileSync(marker, '');
  return dir;
}

interface Case {
  readonly title: string;
  readonly helm: string[];
  readonly ours: string[];
  /** Floors: minimum speed-up, maximum memory ratio (ours / helm). */
  readonly minSpeedup: number;
  readonly maxMemoryRatio: number;
  /** Checks a run's output, so a failing run is never measured as a fast one. */
  readonly check: () => void;
}

function expectVersions(file: string, count: number): void {
  const text = readFileSync(file, 'utf8');
  const found = (text.match(/"?digest"?:/g) ?? []).length;
  if (found !== count) throw new Error(`bench: ${file} holds ${found} versions; expected ${count}`);
}

function buildCases(options: Options): Case[] {
  const helm = helmBinary();
  const charts = chartFolder(options.charts, options.chartBytes);
  const { yamlFile, jsonFile, sizeBytes } = buildLargeIndex(work, options.versions);
  const one = join(work, 'one-chart');
  mkdirSync(one, { recursive: true });
  writeFileSync(join(one, 'newcomer-1.0.0.tgz'), generateChartArchive({ name: 'newcomer', version: '1.0.0' }));
  const mb = (sizeBytes / 1e6).toFixed(1);
  const node = process.execPath;
  return [
    {
      title: `(a) index ${options.charts} charts of ${options.chartBytes / 1000} KB`,
      helm: [helm, 'repo', 'index', charts],
      ours: [node, bundle, 'index', charts],
      minSpeedup: 4,
      maxMemoryRatio: 1,
      check: () => expectVersions(join(charts, 'index.yaml'), options.charts),
    },
    {
      title: `(b) merge 1 chart into ${options.versions} versions, YAML (${mb} MB)`,
      helm: [helm, 'repo', 'index', one, '--merge', yamlFile],
      ours: [node, bundle, 'index', one, '--merge', yamlFile],
      minSpeedup: 3,
      maxMemoryRatio: 2 / 3,
      check: () => expectVersions(join(one, 'index.yaml'), options.versions + 1),
    },
    {
      title: `(b) merge 1 chart into ${options.versions} versions, JSON (--json)`,
      helm: [helm, 'repo', 'index', one, '--merge', jsonFile, '--json'],
      ours: [node, bundle, 'index', one, '--merge', jsonFile, '--json'],
      minSpeedup: 6,
      maxMemoryRatio: 1,
      check: () => expectVersions(join(one, 'index.yaml'), options.versions + 1),
    },
  ];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function runCase(
  testCase: Case,
  runs: number,
  env: NodeJS.ProcessEnv,
): Promise<{ helm: Measurement; ours: Measurement }> {
  const samples = { helm: [] as Measurement[], ours: [] as Measurement[] };
  // One warm-up each (page cache, helm's first start), then interleaved runs so drift hits both alike.
  for (let run = -1; run < runs; run++) {
    for (const tool of ['helm', 'ours'] as const) {
      const sample = await measure(testCase[tool], env);
      testCase.check();
      if (run >= 0) samples[tool].push(sample);
    }
  }
  const summarize = (list: Measurement[]): Measurement => ({
    seconds: median(list.map((m) => m.seconds)),
    cpuSeconds: median(list.map((m) => m.cpuSeconds)),
    peakBytes: median(list.map((m) => m.peakBytes)),
  });
  return { helm: summarize(samples.helm), ours: summarize(samples.ours) };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run \`npm run build\` first`);
  mkdirSync(work, { recursive: true });
  const helmVersion = spawnSync(helmBinary(), ['version', '--short'], { encoding: 'utf8' }).stdout.trim();
  const cases = buildCases(options).filter((c) => options.only === undefined || c.title.includes(options.only));
  if (cases.length === 0) throw new Error(`bench: no case title contains ${JSON.stringify(options.only)}`);
  console.log(
    `chart-repo vs helm ${helmVersion}, node ${process.version}, ${cpus().length} cores, load average ` +
      `${loadavg()[0].toFixed(1)}; median of ${options.runs} run(s), ${memoryMethod()}` +
      (options.quick ? ' (--quick: a smoke run, floors not meaningful)' : ''),
  );
  const { env, removed } = options.keepEnv ? { env: process.env, removed: [] } : toolEnvironment();
  if (removed.length > 0) {
    console.log(`both tools run without ${removed.join(', ')} (see bench-measure.ts; --keep-env keeps them)`);
  }
  const rows: string[][] = [
    ['case', 'tool', 'median s', 'cpu s', 'peak MiB', 'speed-up', 'cpu ratio', 'memory', 'floor', 'result'],
  ];
  let failed = 0;
  for (const testCase of cases) {
    const { helm, ours } = await runCase(testCase, options.runs, env);
    const speedup = helm.seconds / ours.seconds;
    const memory = ours.peakBytes / helm.peakBytes;
    const pass = speedup >= testCase.minSpeedup && memory <= testCase.maxMemoryRatio + 1e-9;
    if (!pass) failed++;
    const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
    const memFloor = testCase.maxMemoryRatio === 1 ? '<= 1x' : `<= ${testCase.maxMemoryRatio.toFixed(2)}x`;
    const cpu = (m: Measurement) => (Number.isNaN(m.cpuSeconds) ? '-' : m.cpuSeconds.toFixed(2));
    rows.push([testCase.title, 'helm', helm.seconds.toFixed(2), cpu(helm), mib(helm.peakBytes), '', '', '', '', '']);
    rows.push([
      '',
      'chart-repo',
      ours.seconds.toFixed(2),
      cpu(ours),
      mib(ours.peakBytes),
      `${speedup.toFixed(1)}x`,
      Number.isNaN(ours.cpuSeconds) ? '-' : `${(helm.cpuSeconds / ours.cpuSeconds).toFixed(1)}x`,
      `${memory.toFixed(2)}x`,
      `>= ${testCase.minSpeedup}x, mem ${memFloor}`,
      pass ? 'PASS' : 'FAIL',
    ]);
  }
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  for (const row of rows)
    console.log(
      row
        .map((cell, column) => cell.padEnd(widths[column]))
        .join('  ')
        .trimEnd(),
    );
  console.log(
    `${failed === 0 ? 'all floors met' : `${failed} floor(s) missed`}; load average ${loadavg()[0].toFixed(1)} ` +
      `(wall times need idle cores: chart-repo spreads work over both, helm mostly uses one; cpu s is steadier)`,
  );
  if (failed > 0 && !options.quick) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
