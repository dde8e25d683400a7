/**
 * The walkthrough of the README, end to end: `chart-repo serve` (what npm start runs) as a child process with a
 * fresh data directory, driven only by the real AWS CLI and the real helm binary.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { awsCli, helmBinary } from '../support/tools';
import { assertBuilt, freePort, ServeProcess } from './serve-process';

const run = promisify(execFile);
jest.setTimeout(240_000);

let work: string;
let dataDir: string;
let port: number;
let s3Port: number;
let server: ServeProcess | undefined;
let exportedEnv: Record<string, string>;

function toolEnv(): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: work,
    GNUPGHOME: join(work, 'gnupg'),
    HELM_CACHE_HOME: join(work, 'helm', 'cache'),
    HELM_CONFIG_HOME: join(work, 'helm', 'config'),
    HELM_DATA_HOME: join(work, 'helm', 'data'),
    ...exportedEnv,
  };
}

async function sh(file: string, args: string[]): Promise<string> {
  try {
    return (await run(file, args, { cwd: work, env: toolEnv(), maxBuffer: 16 * 1024 * 1024 })).stdout;
  } catch (error) {
    const e = error as { stderr?: string; stdout?: string; message: string };
    throw new Error(`${file} ${args.join(' ')} failed: ${e.stderr || e.stdout || e.message}`, { cause: error });
  }
}

const helm = (...args: string[]) => sh(helmBinary(), args);
const aws = (...args: string[]) =>
  sh(awsCli(), [...args, '--endpoint-url', `http://127.0.0.1:${s3Port}`, '--only-show-errors']);

/** `helm search repo` as sorted `repo/name version` lines (every version). */
async function searchRepo(): Promise<string[]> {
  await helm('repo', 'update');
  const found = JSON.parse(await helm('search', 'repo', '--versions', '--output', 'json')) as Array<{
    name: string;
    version: string;
  }>;
  return found.map((chart) => `${chart.name} ${chart.version}`).sort();
}

/** A chart made by `helm create`, at `version`, packaged into `work` (signed when a key is given). */
async function packageChart(name: string, version: string, signWith?: string): Promise<string> {
  const source = join(work, 'src', `${name}-${version}`);
  mkdirSync(source, { recursive: true });
  await helm('create', join(source, name));
  const chartYaml = join(source, name, 'Chart.yaml');
  writeFileSync(chartYaml, readFileSync(chartYaml, 'utf8').replace(/^version: .*$/m, `version: ${version}`));
  const sign = signWith ? ['--sign', '--key', signWith, '--keyring', join(work, 'secring.gpg')] : [];
  await helm('package', join(source, name), '--destination', work, ...sign);
  return `${name}-${version}.tgz`;
}

/** A throwaway signing key, exported as the legacy keyrings helm reads. */
async function makeKeyring(): Promise<string> {
  const uid = 'Chart Signer <charts@example.test>';
  mkdirSync(join(work, 'gnupg'), { recursive: true, mode: 0o700 });
  await sh('gpg', [
    '--batch',
    '--pinentry-mode',
    'loopback',
    '--passphrase',
    '',
    '--quick-gen-key',
    uid,
    'rsa2048',
    'sign',
    'never',
  ]);
  writeFileSync(
    join(work, 'secring.gpg'),
    (await run('gpg', ['--export-secret-keys'], { env: toolEnv(), encoding: 'buffer' })).stdout,
  );
  writeFileSync(
    join(work, 'pubring.gpg'),
    (await run('gpg', ['--export'], { env: toolEnv(), encoding: 'buffer' })).stdout,
  );
  return 'Chart Signer';
}

async function startServer(): Promise<ServeProcess> {
  const started = new ServeProcess([
    'serve',
    '--port',
    String(port),
    '--s3-port',
    String(s3Port),
    '--data-dir',
    dataDir,
  ]);
  await started.waitFor(/Ctrl-C stops\./);
  return started;
}

beforeAll(async () => {
  assertBuilt();
  await run('gpg', ['--version']).catch(() => {
    throw new Error(
      'gpg is not installed: this test signs a chart. Install it with: bash scripts/install-debian-packages.sh',
    );
  });
  work = mkdtempSync(join(tmpdir(), 'serve-e2e-'));
  dataDir = join(work, 'data');
  [port, s3Port] = [await freePort(), await freePort()];
  exportedEnv = {};
});

afterAll(async () => {
  server?.kill();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('chart-repo serve, driven by the real AWS CLI and helm', () => {
  it('prints ready-to-copy commands that work as printed', async () => {
    server = await startServer();
    const exportLine = (
      await server.waitFor(/^\s*export (AWS_ACCESS_KEY_ID=\S+ AWS_SECRET_ACCESS_KEY=\S+ AWS_DEFAULT_REGION=\S+)$/m)
    )[1];
    exportedEnv = Object.fromEntries(exportLine.split(' ').map((pair) => pair.split('=') as [string, string]));
    expect(server.stdout).toContain(
      `aws s3 cp mychart-0.1.0.tgz s3://charts/stable/ --endpoint-url http://127.0.0.1:${s3Port}`,
    );
    expect(server.stdout).toContain(`helm repo add stable http://127.0.0.1:${port}/stable`);
  });

  it('indexes three charts published to two prefixes; helm search lists exactly them', async () => {
    const signer = await makeKeyring();
    const alpha1 = await packageChart('alpha', '0.1.0');
    const alpha2 = await packageChart('alpha', '0.2.0');
    const beta = await packageChart('beta', '1.0.0', signer);
    await aws('s3', 'cp', alpha1, 's3://charts/stable/');
    await aws('s3', 'cp', alpha2, 's3://charts/stable/');
    await aws('s3', 'cp', `${beta}.prov`, 's3://charts/incubator/');
    await aws('s3', 'cp', beta, 's3://charts/incubator/');
    await server!.waitFor(/indexed\s+stable\/alpha-0\.1\.0\.tgz/);
    await server!.waitFor(/indexed\s+stable\/alpha-0\.2\.0\.tgz/);
    await server!.waitFor(/indexed\s+incubator\/beta-1\.0\.0\.tgz/);

    await helm('repo', 'add', 'stable', `http://127.0.0.1:${port}/stable`);
    await helm('repo', 'add', 'incubator', `http://127.0.0.1:${port}/incubator`);
    expect(await searchRepo()).toEqual(['incubator/beta 1.0.0', 'stable/alpha 0.1.0', 'stable/alpha 0.2.0']);
  });

  it('serves a signed chart and its .prov so that helm pull --verify succeeds, and the pulled chart renders', async () => {
    const pulled = join(work, 'pulled');
    mkdirSync(pulled);
    const output = await helm(
      'pull',
      'incubator/beta',
      '--version',
      '1.0.0',
      '--verify',
      '--keyring',
      join(work, 'pubring.gpg'),
      '--destination',
      pulled,
    );
    expect(output).toMatch(/Signed by: Chart Signer/);
    const rendered = await helm('template', 'demo', join(pulled, 'beta-1.0.0.tgz'));
    expect(rendered).toMatch(/kind: Deployment/);
    expect(rendered).toMatch(/name: demo-beta/);
  });

  it('drops a version removed with aws s3 rm', async () => {
    await aws('s3', 'rm', 's3://charts/stable/alpha-0.1.0.tgz');
    await server!.waitFor(/removed\s+stable\/alpha-0\.1\.0\.tgz/);
    expect(await searchRepo()).toEqual(['incubator/beta 1.0.0', 'stable/alpha 0.2.0']);
  });

  it('reports a corrupt archive with its reason and keeps serving the rest', async () => {
    writeFileSync(join(work, 'broken-9.9.9.tgz'), 'this is not a gzip file');
    await aws('s3', 'cp', 'broken-9.9.9.tgz', 's3://charts/stable/');
    const [line] = await server!.waitFor(/REJECTED stable\/broken-9\.9\.9\.tgz: .+/);
    expect(line).toMatch(/gzip/);
    expect(await searchRepo()).toEqual(['incubator/beta 1.0.0', 'stable/alpha 0.2.0']);
  });

  it('stops cleanly on Ctrl-C and keeps everything across a restart with the same data directory', async () => {
    expect(await server!.interrupt()).toBe(0);
    expect(server!.stdout).toMatch(/stopped\n$/);
    server = await startServer();
    expect(server.stdout).toMatch(/Serving 2 chart versions in incubator\/ \(1\), stable\/ \(1\)\./);
    expect(await searchRepo()).toEqual(['incubator/beta 1.0.0', 'stable/alpha 0.2.0']);
    mkdirSync(join(work, 'after-restart'));
    await helm('pull', 'stable/alpha', '--version', '0.2.0', '--destination', join(work, 'after-restart'));
    expect(await server.interrupt()).toBe(0);
  });

  it('indexes at start a chart copied into the data directory while it was stopped', async () => {
    const gamma = await packageChart('gamma', '3.0.0');
    copyFileSync(join(work, gamma), join(dataDir, 'charts', 'stable', gamma));
    server = await startServer();
    expect(server.stdout).toMatch(/indexed\s+stable\/gamma-3\.0\.0\.tgz/);
    expect(await searchRepo()).toEqual(['incubator/beta 1.0.0', 'stable/alpha 0.2.0', 'stable/gamma 3.0.0']);
    expect(await server.interrupt()).toBe(0);
  });
});
