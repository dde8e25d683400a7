/**
 * Wall time and peak resident memory of one child process. Peak memory comes from GNU time's "Maximum resident
 * set size" (Debian package `time`) when /usr/bin/time exists; otherwise from polling the child's VmHWM in
 * /proc (a slight under-estimate: growth in the last poll interval is missed).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

export interface Measurement {
  /** Wall-clock time. */
  readonly seconds: number;
  /** User + system CPU time of the process (all its threads), when known: steadier than wall time on a busy host. */
  readonly cpuSeconds: number;
  readonly peakBytes: number;
}

const GNU_TIME = '/usr/bin/time';

/**
 * Variables that change how a runtime starts or manages memory rather than what the tool does: node loads the
 * NODE_EXTRA_CA_CERTS bundle at every start (on this sandbox +50 ms and +1.7 MiB, for a command that makes no TLS
 * connection), NODE_OPTIONS can load anything, and the GO* ones retune helm's collector and threads. Both tools
 * run without them, so that the figures compare the tools, not the shell that started them.
 */
const RUNTIME_VARIABLES = /^(NODE_OPTIONS|NODE_EXTRA_CA_CERTS|GOGC|GOMEMLIMIT|GOMAXPROCS|GODEBUG|HELM_.*)$/;

/** The environment both tools run with, and the caller's variables left out of it (for the report). */
export function toolEnvironment(): { env: NodeJS.ProcessEnv; removed: string[] } {
  const removed = Object.keys(process.env).filter((name) => RUNTIME_VARIABLES.test(name));
  const env = { ...process.env };
  for (const name of removed) delete env[name];
  return { env, removed: removed.sort() };
}

function fail(argv: readonly string[], status: number | null, stderr: string): never {
  throw new Error(`bench: ${argv.join(' ')} exited with ${status}:\n${stderr.slice(-2000)}`);
}

function measureWithGnuTime(argv: readonly string[], env: NodeJS.ProcessEnv): Measurement {
  const started = process.hrtime.bigint();
  const result = spawnSync(GNU_TIME, ['-v', ...argv], { encoding: 'utf8', maxBuffer: 256 * 2 ** 20, env });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) fail(argv, result.status, result.stderr);
  const field = (name: string): number => {
    const match = new RegExp(`${name}: ([\\d.]+)`).exec(result.stderr);
    if (!match) throw new Error(`bench: no "${name}" in the output of ${GNU_TIME} -v`);
    return Number(match[1]);
  };
  return {
    seconds,
    cpuSeconds: field('User time \\(seconds\\)') + field('System time \\(seconds\\)'),
    peakBytes: field('Maximum resident set size \\(kbytes\\)') * 1024,
  };
}

function vmHwmBytes(pid: number): number | undefined {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

async function measureByPolling(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<Measurement> {
  const started = process.hrtime.bigint();
  const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'], env });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let peakBytes = 0;
  const timer = setInterval(() => (peakBytes = Math.max(peakBytes, vmHwmBytes(child.pid ?? 0) ?? 0)), 2);
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearInterval(timer);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (status !== 0) fail(argv, status, stderr);
  return { seconds, cpuSeconds: Number.NaN, peakBytes };
}

export async function measure(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<Measurement> {
  return existsSync(GNU_TIME) ? measureWithGnuTime(argv, env) : measureByPolling(argv, env);
}

/** Which method `measure` uses, for the report header. */
export function memoryMethod(): string {
  return existsSync(GNU_TIME) ? 'peak RSS from GNU time -v' : 'peak RSS polled from /proc VmHWM';
}
