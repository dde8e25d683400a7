/**
 * A private Ceph radosgw cluster per test suite (scripts/radosgw/start.sh, see shared/REAL-S3.md), on ports
 * picked so that parallel jest workers, the soak command and other helpers can run clusters side by side.
 *
 * ```ts
 * describeWithRadosgw('indexer against radosgw', () => {
 *   let rgw: Radosgw;
 *   beforeAll(async () => (rgw = await startRadosgw()), 60_000);
 *   afterAll(() => rgw?.stop());
 *   ...
 * });
 * ```
 */
import { execFile, execFileSync } from 'node:child_process';
import {
  accessSync,
  closeSync,
  constants,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const scriptsDir = join(__dirname, '..', '..', 'scripts', 'radosgw');
const requiredBinaries = ['radosgw', 'radosgw-admin', 'ceph-mon', 'ceph-osd', 'ceph', 'ceph-authtool', 'monmaptool'];
export const installCommand = 'bash scripts/radosgw/install.sh';

export interface Radosgw {
  /** `http://127.0.0.1:PORT`, path-style only. */
  readonly endpoint: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** Any region signs; `default` is what radosgw calls its zonegroup (CreateBucket accepts it). */
  readonly region: string;
  /** The cluster's folder (ceph.conf, logs under log/). */
  readonly base: string;
  /** Environment for child processes (AWS CLI, the bundled handler): endpoint, credentials, region. */
  readonly env: Record<string, string>;
  /** Stops the daemons (by pid) and removes the folder. Safe to call twice. */
  stop(): Promise<void>;
}

/** True when every binary the start script needs is an executable on PATH. */
export function radosgwAvailable(): boolean {
  const dirs = (process.env.PATH ?? '').split(':').filter(Boolean);
  return requiredBinaries.every((bin) =>
    dirs.some((dir) => {
      try {
        accessSync(join(dir, bin), constants.X_OK);
        return true;
      } catch {
        return false;
      }
    }),
  );
}

/**
 * `describe` for suites that need radosgw. Without radosgw it skips the suite and says so loudly, with the
 * command that enables it; with REQUIRE_RADOSGW=1 (CI) a missing radosgw fails the suite instead.
 */
export function describeWithRadosgw(name: string, fn: () => void): void {
  if (radosgwAvailable()) {
    describe(name, fn);
    return;
  }
  const why = `radosgw is not installed; run \`${installCommand}\` to enable the suite "${name}"`;
  if (process.env.REQUIRE_RADOSGW === '1') {
    describe(name, () => {
      test('radosgw is installed (REQUIRE_RADOSGW=1)', () => {
        throw new Error(why);
      });
    });
    return;
  }
  process.stderr.write(`\n*** SKIPPED SUITE "${name}": ${why} ***\n\n`);
  describe.skip(`${name} [SKIPPED: ${why}]`, fn);
}

const portBlockSize = 16; // rgw, mon, and 14 for the OSD (it binds 8)
const firstPort = 20_000;
const blockCount = 2_000; // ports 20000..51999, below Linux's ephemeral range (32768+ is shared, bind-checked)
const claimsDir = join(tmpdir(), 'radosgw-port-claims');

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Claims a port block with an O_EXCL file naming our pid; a claim whose pid is gone is stale and taken over. */
function claimBlock(block: number): boolean {
  mkdirSync(claimsDir, { recursive: true });
  const file = join(claimsDir, String(block));
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return true;
    } catch {
      let owner: number;
      try {
        owner = Number(readFileSync(file, 'utf8'));
      } catch {
        continue;
      }
      if (Number.isInteger(owner) && pidAlive(owner)) return false;
      rmSync(file, { force: true });
    }
  }
  return false;
}

function releaseBlock(block: number): void {
  try {
    unlinkSync(join(claimsDir, String(block)));
  } catch {
    // already gone
  }
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

async function pickPortBlock(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const block = Math.floor(Math.random() * blockCount);
    if (!claimBlock(block)) continue;
    const base = firstPort + block * portBlockSize;
    const ports = Array.from({ length: portBlockSize }, (_, i) => base + i);
    if ((await Promise.all(ports.map(portFree))).every(Boolean)) return block;
    releaseBlock(block);
  }
  throw new Error('radosgw: found no free block of 16 ports in 20000-51999 after 50 tries');
}

function run(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ ok: boolean; output: string }> {
  return new Promise((resolve) => {
    execFile('bash', [join(scriptsDir, script), ...args], { env, timeout: 90_000 }, (error, stdout, stderr) =>
      resolve({ ok: !error, output: `${stdout}${stderr}` }),
    );
  });
}

const running = new Set<string>();
process.once('exit', () => {
  // Last resort for a suite that forgot stop(): never leave daemons behind.
  for (const base of running) {
    try {
      execFileSync('bash', [join(scriptsDir, 'stop.sh'), base], { stdio: 'ignore', timeout: 10_000 });
      rmSync(base, { recursive: true, force: true });
    } catch {
      // best effort at exit
    }
  }
});

/** Starts a fresh cluster on free ports (about 2.5 s). Retries on other ports if a port race is lost. */
export async function startRadosgw(): Promise<Radosgw> {
  if (!radosgwAvailable()) throw new Error(`radosgw is not installed; run \`${installCommand}\``);
  let lastOutput = '';
  for (let attempt = 1; attempt <= 3; attempt++) {
    const block = await pickPortBlock();
    const port = firstPort + block * portBlockSize;
    const base = mkdtempSync(join(tmpdir(), 'radosgw-'));
    const env = {
      ...process.env,
      RGW_PORT: String(port),
      MON_PORT: String(port + 1),
      OSD_PORT_MIN: String(port + 2),
      OSD_PORT_MAX: String(port + portBlockSize - 1),
    };
    running.add(base);
    const started = await run('start.sh', [base], env);
    if (started.ok) return cluster(base, port, block);
    lastOutput = started.output;
    running.delete(base);
    await run('stop.sh', [base], process.env);
    rmSync(base, { recursive: true, force: true });
    releaseBlock(block);
  }
  throw new Error(`radosgw did not start after 3 attempts; last output:\n${lastOutput}`);
}

function cluster(base: string, port: number, block: number): Radosgw {
  const env: Record<string, string> = {};
  for (const line of readFileSync(join(base, 'env'), 'utf8').split('\n')) {
    const match = /^export (\w+)=(.*)$/.exec(line);
    if (match) env[match[1]] = match[2];
  }
  let stopped: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    accessKeyId: env.AWS_ACCESS_KEY_ID,
    secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
    region: env.AWS_DEFAULT_REGION,
    base,
    env,
    stop() {
      stopped ??= run('stop.sh', [base], process.env).then(() => {
        running.delete(base);
        rmSync(base, { recursive: true, force: true });
        releaseBlock(block);
      });
      return stopped;
    },
  };
}
