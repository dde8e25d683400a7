/**
 * An HTTP proxy between the handler and S3 that fails a seeded fraction of requests the ways S3 and networks
 * fail: 500 InternalError, 503 SlowDown, a connection reset (before the request reaches S3, or after S3
 * did the work and before the client hears the answer), and a timeout (the request is held, unanswered, until
 * the client gives up). It also counts every request and observes index writes (status per PUT).
 */
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { Prng } from './prng';

export type FaultKind = 'http500' | 'slowdown503' | 'resetBefore' | 'resetAfter' | 'timeout';
export const FAULT_KINDS: readonly FaultKind[] = ['http500', 'slowdown503', 'resetBefore', 'resetAfter', 'timeout'];

export interface FaultProxyOptions {
  /** `http://127.0.0.1:PORT` of the real S3. */
  readonly target: string;
  /** Fraction of requests in [0, 1] that fail. */
  readonly faultRate: number;
  readonly prng: Prng;
  /** Which faults to draw from (uniformly). Default all. */
  readonly kinds?: readonly FaultKind[];
  /** A held request is dropped after this long if the client has not given up. Default 30 s. */
  readonly holdMaxMs?: number;
  /** Keys whose PUTs are reported to onIndexWrite. Default: keys ending in index.yaml. */
  readonly isIndexKey?: (key: string) => boolean;
  /** Called for every index PUT that S3 answered (also when the proxy then drops the answer). */
  readonly onIndexWrite?: (write: IndexWriteObservation) => void;
}

export interface IndexWriteObservation {
  readonly key: string;
  readonly status: number;
  readonly conditional: 'if-match' | 'if-none-match' | 'none';
  /** When S3's answer arrived: conditional writes to one key succeed in this order. */
  readonly at: number;
  /** The body the handler wrote. */
  readonly body: string;
}

export interface ProxyStats {
  requests: number;
  byMethod: Record<string, number>;
  faults: Record<FaultKind, number>;
  /** Answers with status >= 500 that S3 itself gave (not injected). */
  upstreamErrors: number;
}

export interface FaultProxy {
  /** The shared listener. */
  readonly endpoint: string;
  readonly stats: ProxyStats;
  /**
   * Another listener with the same faults and counters, for one client (a handler instance): `onRequest` runs
   * first for each of its requests and may take the request over (return true), e.g. to crash the instance.
   */
  listen(onRequest?: (req: IncomingMessage) => boolean): Promise<string>;
  close(): Promise<void>;
}

function keyOf(url: string): string {
  const path = decodeURIComponent(new URL(url, 'http://x').pathname);
  return path.split('/').slice(2).join('/'); // path-style: /bucket/key
}

function s3Error(res: ServerResponse, status: number, code: string, message: string): void {
  const body = `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message><RequestId>fault-proxy</RequestId></Error>`;
  res.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const target = new URL(options.target);
  const kinds = options.kinds ?? FAULT_KINDS;
  const isIndexKey = options.isIndexKey ?? ((key: string) => key === 'index.yaml' || key.endsWith('/index.yaml'));
  const stats: ProxyStats = {
    requests: 0,
    byMethod: {},
    faults: Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0])) as Record<FaultKind, number>,
    upstreamErrors: 0,
  };
  const held = new Set<IncomingMessage>();

  function forward(req: IncomingMessage, res: ServerResponse, dropAnswer: boolean): void {
    const observed = req.method === 'PUT' && isIndexKey(keyOf(req.url ?? '/'));
    const body: Buffer[] = [];
    if (observed) req.on('data', (chunk: Buffer) => body.push(chunk));
    const upstream = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        const status = answer.statusCode ?? 0;
        if (status >= 500) stats.upstreamErrors++;
        if (observed) {
          const conditional = req.headers['if-match']
            ? 'if-match'
            : req.headers['if-none-match']
              ? 'if-none-match'
              : 'none';
          const text = Buffer.concat(body).toString('utf8');
          options.onIndexWrite?.({ key: keyOf(req.url ?? '/'), status, conditional, at: Date.now(), body: text });
        }
        if (dropAnswer) {
          // S3 did the work; the client never learns it.
          answer.resume();
          answer.on('end', () => req.socket.destroy());
          return;
        }
        res.writeHead(status, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', (error) => {
      if (!res.headersSent) s3Error(res, 502, 'BadGateway', `fault proxy: upstream failed: ${error.message}`);
      else res.destroy();
    });
    req.pipe(upstream);
  }

  function handle(req: IncomingMessage, res: ServerResponse): void {
    stats.requests++;
    stats.byMethod[req.method ?? '?'] = (stats.byMethod[req.method ?? '?'] ?? 0) + 1;
    if (!options.prng.chance(options.faultRate)) {
      forward(req, res, false);
      return;
    }
    const kind = options.prng.pick(kinds);
    stats.faults[kind]++;
    switch (kind) {
      case 'http500':
        req.resume();
        s3Error(res, 500, 'InternalError', 'We encountered an internal error. Please try again.');
        return;
      case 'slowdown503':
        req.resume();
        s3Error(res, 503, 'SlowDown', 'Please reduce your request rate.');
        return;
      case 'resetBefore':
        req.socket.destroy();
        return;
      case 'resetAfter':
        forward(req, res, true);
        return;
      case 'timeout': {
        // Never answer; the client's socket timeout (or the Lambda timeout) ends it.
        req.resume();
        held.add(req);
        const drop = setTimeout(() => req.socket.destroy(), options.holdMaxMs ?? 30_000);
        req.socket.once('close', () => {
          clearTimeout(drop);
          held.delete(req);
        });
        return;
      }
    }
  }

  const servers: Server[] = [];
  async function listen(onRequest?: (req: IncomingMessage) => boolean): Promise<string> {
    const server = createServer((req, res) => {
      if (onRequest?.(req)) return;
      handle(req, res);
    });
    server.keepAliveTimeout = 5_000;
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  const endpoint = await listen();
  return {
    endpoint,
    stats,
    listen,
    close: async () => {
      for (const req of held) req.socket.destroy();
      await Promise.all(
        servers.map(
          (server) =>
            new Promise<void>((resolve) => {
              server.closeAllConnections();
              server.close(() => resolve());
            }),
        ),
      );
    },
  };
}
