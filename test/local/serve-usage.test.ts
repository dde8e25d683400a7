/** Bad usage of `chart-repo serve` gets a clear message and a non-zero exit, before anything is served. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertBuilt, freePort, ServeProcess } from './serve-process';

let work: string;
beforeAll(() => {
  assertBuilt();
  work = mkdtempSync(join(tmpdir(), 'serve-usage-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

async function serve(...args: string[]): Promise<{ code: number | null; stderr: string; stdout: string }> {
  const child = new ServeProcess(['serve', ...args]);
  const timer = setTimeout(() => child.kill(), 20_000);
  const code = await child.exited;
  clearTimeout(timer);
  return { code, stderr: child.stderr, stdout: child.stdout };
}

/** `--port` and `--s3-port` on free ports, and `--data-dir`: the options a server needs to start. */
async function freePortsAnd(dataDir: string): Promise<string[]> {
  return ['--port', String(await freePort()), '--s3-port', String(await freePort()), '--data-dir', dataDir];
}

async function occupy(port: number): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

describe('chart-repo serve usage errors', () => {
  it('refuses an unknown option', async () => {
    const result = await serve('--data-dir', join(work, 'd1'), '--nope');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown option '--nope'/);
  });

  it('refuses an index format it does not know', async () => {
    const result = await serve('--data-dir', join(work, 'd2'), '--index-format', 'xml');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/Allowed choices are yaml, json/);
  });

  it.each(['--port', '--s3-port'])('says which port is taken (%s)', async (option) => {
    const [port, s3Port] = [await freePort(), await freePort()];
    const taken = await occupy(option === '--port' ? port : s3Port);
    try {
      const result = await serve('--port', String(port), '--s3-port', String(s3Port), '--data-dir', join(work, 'd3'));
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`port ${option === '--port' ? port : s3Port} on 127.0.0.1 is already in use`);
      expect(result.stderr).toContain(option);
    } finally {
      taken.close();
    }
  });

  it('says when the data directory cannot be written', async () => {
    writeFileSync(join(work, 'a-file'), 'not a folder');
    const result = await serve(...(await freePortsAnd(join(work, 'a-file', 'data'))));
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/data directory .*a-file\/data is not writable/);
  });

  it('refuses a data directory another running server holds', async () => {
    const dataDir = join(work, 'shared');
    const first = new ServeProcess(['serve', ...(await freePortsAnd(dataDir))]);
    try {
      await first.waitFor(/Ctrl-C stops\./);
      const second = await serve(...(await freePortsAnd(dataDir)));
      expect(second.code).toBe(2);
      expect(second.stderr).toMatch(/is in use by another chart-repo serve \(pid \d+\)/);
      expect(await first.interrupt()).toBe(0);
    } finally {
      first.kill();
    }
  });
});
