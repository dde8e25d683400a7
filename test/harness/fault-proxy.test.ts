import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  FAULT_KINDS,
  startFaultProxy,
  type FaultKind,
  type FaultProxy,
  type IndexWriteObservation,
} from '../../scripts/harness/fault-proxy';
import { Prng } from '../../scripts/harness/prng';

/** A stand-in S3: answers 200 with the path, counts requests, and answers 412 to PUTs with if-match "stale". */
let upstream: Server;
let upstreamUrl: string;
const received: string[] = [];

beforeAll(async () => {
  upstream = createServer((req, res) => {
    received.push(`${req.method} ${req.url}`);
    req.resume();
    req.on('end', () => {
      const status = req.headers['if-match'] === 'stale' ? 412 : 200;
      res.writeHead(status, { 'content-type': 'text/plain', etag: '"abc"' }).end(`ok ${req.url}`);
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
});

afterAll(() => new Promise((resolve) => upstream.close(resolve)));

interface Answer {
  status?: number;
  body?: string;
  error?: string;
}

function send(
  endpoint: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  timeoutMs = 1_000,
): Promise<Answer> {
  return new Promise((resolve) => {
    const req = request(`${endpoint}${path}`, { method, headers, agent: false }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode, body }));
      res.on('error', (error) => resolve({ error: error.message }));
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error('client timeout')));
    req.on('error', (error) => resolve({ error: error.message }));
    req.end(method === 'PUT' ? 'index body' : undefined);
  });
}

async function withProxy(
  options: { faultRate: number; kinds?: FaultKind[]; seed?: number },
  fn: (proxy: FaultProxy, writes: IndexWriteObservation[]) => Promise<void>,
) {
  const writes: IndexWriteObservation[] = [];
  const proxy = await startFaultProxy({
    target: upstreamUrl,
    faultRate: options.faultRate,
    kinds: options.kinds,
    prng: new Prng(options.seed ?? 1),
    holdMaxMs: 5_000,
    onIndexWrite: (write) => writes.push(write),
  });
  try {
    await fn(proxy, writes);
  } finally {
    await proxy.close();
  }
}

describe('fault proxy', () => {
  test('rate 0 passes every request through, counts them and observes index writes', async () => {
    await withProxy({ faultRate: 0 }, async (proxy, writes) => {
      expect(await send(proxy.endpoint, 'GET', '/charts/stable/index.yaml')).toEqual({
        status: 200,
        body: 'ok /charts/stable/index.yaml',
      });
      expect((await send(proxy.endpoint, 'PUT', '/charts/stable/index.yaml', { 'if-match': 'abc' })).status).toBe(200);
      expect((await send(proxy.endpoint, 'PUT', '/charts/team%20a/index.yaml', { 'if-match': 'stale' })).status).toBe(
        412,
      );
      expect((await send(proxy.endpoint, 'PUT', '/charts/stable/web-1.0.0.tgz')).status).toBe(200);
      expect(proxy.stats.requests).toBe(4);
      expect(proxy.stats.byMethod).toEqual({ GET: 1, PUT: 3 });
      expect(writes.map(({ key, status, conditional, body }) => ({ key, status, conditional, body }))).toEqual([
        { key: 'stable/index.yaml', status: 200, conditional: 'if-match', body: 'index body' },
        { key: 'team a/index.yaml', status: 412, conditional: 'if-match', body: 'index body' },
      ]);
    });
  });

  test.each([
    ['http500', { status: 500, code: 'InternalError' }],
    ['slowdown503', { status: 503, code: 'SlowDown' }],
  ] as const)('%s answers like S3 and never reaches S3', async (kind, expected) => {
    await withProxy({ faultRate: 1, kinds: [kind] }, async (proxy) => {
      const before = received.length;
      const answer = await send(proxy.endpoint, 'GET', '/charts/x');
      expect(answer.status).toBe(expected.status);
      expect(answer.body).toContain(`<Code>${expected.code}</Code>`);
      expect(received.length).toBe(before);
      expect(proxy.stats.faults[kind]).toBe(1);
    });
  });

  test('resetBefore drops the connection before S3 sees the request', async () => {
    await withProxy({ faultRate: 1, kinds: ['resetBefore'] }, async (proxy) => {
      const before = received.length;
      expect((await send(proxy.endpoint, 'PUT', '/charts/stable/index.yaml')).error).toMatch(
        /socket hang up|ECONNRESET/,
      );
      expect(received.length).toBe(before);
    });
  });

  test('resetAfter lets S3 do the work, then drops the answer (the client cannot know the write happened)', async () => {
    await withProxy({ faultRate: 1, kinds: ['resetAfter'] }, async (proxy, writes) => {
      const before = received.length;
      expect((await send(proxy.endpoint, 'PUT', '/charts/stable/index.yaml')).error).toMatch(
        /socket hang up|ECONNRESET/,
      );
      expect(received.slice(before)).toEqual(['PUT /charts/stable/index.yaml']);
      expect(writes.map((w) => w.status)).toEqual([200]);
    });
  });

  test('timeout holds the request unanswered until the client gives up', async () => {
    await withProxy({ faultRate: 1, kinds: ['timeout'] }, async (proxy) => {
      const started = Date.now();
      expect((await send(proxy.endpoint, 'GET', '/charts/x', {}, 300)).error).toBe('client timeout');
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    });
  });

  test('the fault rate and the mix follow the seed', async () => {
    const run = async (seed: number) => {
      let outcomes = '';
      await withProxy({ faultRate: 0.3, kinds: ['http500', 'slowdown503'], seed }, async (proxy) => {
        for (let i = 0; i < 200; i++) outcomes += String((await send(proxy.endpoint, 'GET', `/charts/${i}`)).status)[0];
        expect(proxy.stats.faults.http500 + proxy.stats.faults.slowdown503).toBeGreaterThan(35);
        expect(proxy.stats.faults.http500 + proxy.stats.faults.slowdown503).toBeLessThan(85);
      });
      return outcomes;
    };
    const a = await run(5);
    expect(await run(5)).toBe(a);
    expect(await run(6)).not.toBe(a);
  });

  test('extra listeners share the counters and can take a request over', async () => {
    await withProxy({ faultRate: 0 }, async (proxy) => {
      const taken: string[] = [];
      const endpoint = await proxy.listen((req) => {
        if (!req.url?.includes('crash')) return false;
        taken.push(req.url);
        req.socket.destroy();
        return true;
      });
      expect((await send(endpoint, 'GET', '/charts/ok')).status).toBe(200);
      expect((await send(endpoint, 'GET', '/charts/crash')).error).toBeDefined();
      expect(taken).toEqual(['/charts/crash']);
      expect(proxy.stats.requests).toBe(1);
      expect(FAULT_KINDS).toHaveLength(5);
    });
  });
});
