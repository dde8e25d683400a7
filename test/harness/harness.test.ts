/**
 * The SQS + Lambda stand-in, driven with a scripted handler (fixtures/scripted-handler.cjs) and a stand-in S3,
 * so each delivery rule is checked on its own: batching and concurrency, partial batch failures, thrown
 * errors, crashes mid-batch, timeouts and the dead-letter queue.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHarness, type Harness, type HarnessOptions } from '../../scripts/harness/harness';

const bundle = join(__dirname, 'fixtures', 'scripted-handler.cjs');
let s3: Server;
let endpoint: string;
let dir: string;

beforeAll(async () => {
  s3 = createServer((_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => s3.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(s3.address() as AddressInfo).port}`;
  dir = mkdtempSync(join(tmpdir(), 'harness-test-'));
});

afterAll(async () => {
  s3.closeAllConnections();
  await new Promise((resolve) => s3.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

interface Handled {
  id: string;
  receive: number;
  pid: number;
}

async function run(
  name: string,
  scripts: object[],
  options: Partial<HarnessOptions>,
): Promise<{ harness: Harness; handled: Handled[] }> {
  const log = join(dir, `${name}.log`);
  const harness = await startHarness({
    s3: { endpoint, accessKeyId: 'x', secretAccessKey: 'y' },
    bucket: 'bucket',
    bundle,
    workers: 2,
    batchSize: 5,
    batchWindowMs: 50,
    visibilityTimeoutMs: 2_000,
    handlerEnv: { SCRIPTED_LOG: log },
    ...options,
  });
  try {
    for (const script of scripts) harness.enqueue(JSON.stringify(script));
    await harness.waitForQuiet({ quietMs: 200, timeoutMs: 30_000 });
  } finally {
    await harness.close();
  }
  let text = '';
  try {
    text = readFileSync(log, 'utf8');
  } catch {
    // nothing handled
  }
  const handled = text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Handled);
  return { harness, handled };
}

const ids = (n: number, extra: object = {}) => Array.from({ length: n }, (_, i) => ({ id: `m${i}`, ...extra }));

describe('harness: SQS event source mapping + handler instances', () => {
  test('batches messages and runs instances concurrently; every message handled once; EMF metrics summed', async () => {
    const { harness, handled } = await run('basic', ids(20, { sleepMs: 50 }), { workers: 3 });
    expect(handled.map((h) => h.id).sort()).toEqual(
      ids(20)
        .map((s) => s.id)
        .sort(),
    );
    expect(harness.mapping.stats.invocations).toBeGreaterThanOrEqual(4);
    expect(new Set(handled.map((h) => h.pid)).size).toBeGreaterThanOrEqual(2);
    expect(harness.mapping.stats.redeliveries).toBe(0);
    expect(harness.metrics.Handled).toBe(20);
  });

  test('items in batchItemFailures (only those) come back after the visibility timeout', async () => {
    const started = Date.now();
    const { harness, handled } = await run('partial', [{ id: 'flaky', fail: 2 }, ...ids(4)], {
      visibilityTimeoutMs: 300,
    });
    expect(handled.find((h) => h.id === 'flaky')?.receive).toBe(3);
    expect(handled.filter((h) => h.id !== 'flaky').every((h) => h.receive === 1)).toBe(true);
    expect(harness.mapping.stats.itemFailures).toBe(2);
    expect(harness.mapping.stats.redeliveries).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(600);
  });

  test('a thrown error returns the whole batch; after maxReceiveCount receives it is dead-lettered', async () => {
    const { harness, handled } = await run('throw', [{ id: 'poison', throw: true }], {
      visibilityTimeoutMs: 200,
      maxReceiveCount: 3,
      batchSize: 1,
    });
    expect(handled).toEqual([]);
    expect(harness.mapping.stats.errors).toBe(3);
    expect(harness.queue.deadLetters.map((m) => JSON.parse(m.body).id)).toEqual(['poison']);
  });

  test('crashes kill the instance mid-batch (at an S3 request); the batch comes back and a new instance runs it', async () => {
    const { harness, handled } = await run('crash', ids(10, { requests: 3 }), {
      visibilityTimeoutMs: 500,
      batchSize: 2, // at least 5 invocations: a crash-free run is (1/2)^5 at worst, and the seed fixes it
      crashRate: 0.5,
      seed: 3,
      maxReceiveCount: 50,
    });
    const stats = harness.mapping.stats;
    expect(stats.crashes).toBeGreaterThan(0);
    expect(new Set(handled.map((h) => h.id))).toEqual(new Set(ids(10).map((s) => s.id)));
    expect(stats.redeliveries).toBeGreaterThan(0);
    expect(stats.coldStarts).toBeGreaterThan(2); // replacements after crashes
    expect(harness.queue.deadLetters).toHaveLength(0);
  });

  test('an invocation that outlives the Lambda timeout is killed and retried', async () => {
    const { harness } = await run('timeout', [{ id: 'slow', sleepMs: 5_000 }], {
      visibilityTimeoutMs: 300,
      maxReceiveCount: 2,
    });
    expect(harness.mapping.stats.timeouts).toBe(2);
    expect(harness.queue.deadLetters).toHaveLength(1);
  });

  test('an instance that exits by itself is reported as died, and replaced', async () => {
    const { harness, handled } = await run('exit', [{ id: 'exit', exit: true }, ...ids(3)], {
      workers: 1,
      batchSize: 1,
      visibilityTimeoutMs: 200,
      maxReceiveCount: 2,
    });
    expect(harness.mapping.stats.died).toBe(2);
    expect(handled.map((h) => h.id).sort()).toEqual(['m0', 'm1', 'm2']);
    expect(harness.mapping.errorSamples[0]).toMatch(/died: instance exited \(code 3/);
  });
});
