/**
 * tuneForArchiveReading really changes what V8 does, and its undo really restores it: a child node process with
 * --trace-opt runs the built modules (dist/lambda, built by `npm run build`) and reports which functions V8's
 * optimizing compiler took. A Node release that dropped or renamed one of the flags fails here, not silently.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { settingsToApply } from '../../lambda/cli/v8-settings';
import { tarHeader } from '../support/chart-archive';

const dist = join(__dirname, '..', '..', 'dist', 'lambda');

/** Calls the tar header parser and an ordinary hot function while tuned, then the hot function after the undo. */
const script = `
const { tuneForArchiveReading } = require(${JSON.stringify(join(dist, 'cli', 'v8-settings.js'))});
const { parseTarHeader } = require(${JSON.stringify(join(dist, 'engine', 'tar-header.js'))});
const header = Buffer.from(process.argv[1], 'base64');
function ordinaryHotFunction(n) { let s = 0; for (let i = 0; i < n; i++) s += i % 7; return s; }
(async () => {
  const restore = await tuneForArchiveReading();
  for (let i = 0; i < 20000; i++) { parseTarHeader(header, 0, true, false); ordinaryHotFunction(100); }
  console.log('-- restored --');
  restore();
  for (let i = 0; i < 20000; i++) ordinaryHotFunction(100);
})();
`;

function optimizedFunctions(trace: string): Set<string> {
  return new Set([...trace.matchAll(/completed optimizing \S+ <JSFunction (\w+)/g)].map((m) => m[1]));
}

/** Runs the script in a child node started with `flags`; what was optimized while tuned and after the undo. */
function traceOptimizations(...flags: string[]): { tuned: Set<string>; restored: Set<string> } {
  const header = tarHeader({ name: 'chart/Chart.yaml' }, 100).toString('base64');
  const child = spawnSync(process.execPath, ['--trace-opt', ...flags, '-e', script, header], { encoding: 'utf8' });
  expect(child.stderr).toBe(''); // no "unrecognized flag"
  expect(child.status).toBe(0);
  const [tuned, restored] = child.stdout.split('-- restored --');
  expect(restored).toBeDefined();
  return { tuned: optimizedFunctions(tuned), restored: optimizedFunctions(restored) };
}

describe('tuneForArchiveReading', () => {
  it('has only the tar header parser optimized while reading, and undoes that', () => {
    const { tuned, restored } = traceOptimizations();
    expect(tuned).toEqual(new Set(['parseTarHeader']));
    expect(restored.has('ordinaryHotFunction')).toBe(true);
  });

  it.each([['--turbo-filter=~'], ['--turbo_filter=~']])(
    "leaves a flag given on node's command line as given, while reading and after: %s",
    (flag) => {
      const { tuned, restored } = traceOptimizations(flag); // "~": optimize nothing
      expect(tuned).toEqual(new Set());
      expect(restored).toEqual(new Set());
    },
  );

  it.each([['--no-parallel-scavenge'], ['--noparallel-scavenge'], ['--no_parallel_scavenge'], ['--parallel-scavenge']])(
    "takes %s as the user's own choice on parallel scavenges, and leaves it alone",
    (flag) => {
      const applied = settingsToApply(['--max-old-space-size=512', flag]).map(([setting]) => setting);
      expect(applied).not.toContain('--no-parallel-scavenge');
      expect(applied).toContain('--no-concurrent-array-buffer-sweeping'); // the others still apply
    },
  );
});
