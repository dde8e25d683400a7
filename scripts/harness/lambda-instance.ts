/**
 * A "Lambda instance" slot: a child process running the bundled handler (instance-process.cjs), warm between
 * invocations, restarted cold after a crash or a timeout. Its S3 traffic goes through its own listener of the
 * fault proxy, which lets the harness crash it honestly in the middle of a batch: SIGKILL right when the
 * handler sends its k-th S3 request (that request never reaches S3), or, when the invocation makes fewer
 * requests, after its last request and before its result reaches the queue.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { FaultProxy } from './fault-proxy';

export type InvocationKind = 'ok' | 'error' | 'crash' | 'timeout' | 'died';

export interface InvocationOutcome {
  readonly kind: InvocationKind;
  /** The handler's return value (kind 'ok'). */
  readonly result?: unknown;
  readonly error?: string;
  readonly durationMs: number;
  /** S3 requests this invocation sent. */
  readonly requests: number;
  readonly coldStart: boolean;
}

export interface InstanceOptions {
  readonly bundle: string;
  /** Environment of the handler (credentials, BUCKET_NAME, ...); AWS_ENDPOINT_URL is set to the proxy. */
  readonly env: Record<string, string>;
  readonly proxy: FaultProxy;
  /** Receives every line the handler writes (logs, EMF metrics). */
  readonly onOutput: (line: string, instance: number) => void;
}

interface Running {
  readonly requestId: string;
  readonly settle: (outcome: Omit<InvocationOutcome, 'durationMs' | 'requests' | 'coldStart'>) => void;
  requests: number;
  crashAtRequest?: number;
  child?: ChildProcess;
}

export class LambdaInstance {
  private child?: ChildProcess;
  private endpoint?: string;
  private running?: Running;

  constructor(
    readonly id: number,
    private readonly options: InstanceOptions,
  ) {}

  get busy(): boolean {
    return this.running !== undefined;
  }

  /**
   * Runs one invocation. `crashAtRequest` (1-based) arms a crash. Never rejects: every way an invocation can
   * end is an outcome.
   */
  async invoke(event: unknown, timeoutMs: number, crashAtRequest?: number): Promise<InvocationOutcome> {
    const started = Date.now();
    const coldStart = this.child === undefined;
    let settle!: Running['settle'];
    const settled = new Promise<Parameters<Running['settle']>[0]>((resolve) => (settle = resolve));
    const running: Running = { requestId: randomUUID(), settle, requests: 0, crashAtRequest };
    this.running = running;
    let timer: NodeJS.Timeout | undefined;
    try {
      const child = await this.start();
      running.child = child;
      // The Lambda timeout counts from the handler call; init (the cold start) has its own budget.
      timer = setTimeout(() => {
        this.kill();
        settle({ kind: 'timeout', error: `no result after ${timeoutMs} ms` });
      }, timeoutMs);
      child.send({ requestId: running.requestId, event, timeoutMs });
    } catch (error) {
      settle({ kind: 'died', error: `instance did not start: ${(error as Error).message}` });
    }
    let outcome = await settled;
    clearTimeout(timer);
    if (crashAtRequest !== undefined && outcome.kind === 'ok') {
      // Fewer requests than the crash point: crash after the work, before the result is reported.
      this.kill();
      outcome = { kind: 'crash', error: `killed after its last S3 request (${running.requests})` };
    }
    this.running = undefined;
    return { ...outcome, durationMs: Date.now() - started, requests: running.requests, coldStart };
  }

  /** Peak resident memory of the current process (VmHWM), in MiB; undefined when none runs. */
  peakRssMiB(): number | undefined {
    const pid = this.child?.pid;
    if (pid === undefined) return undefined;
    try {
      const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      return match ? Math.round(Number(match[1]) / 1024) : undefined;
    } catch {
      return undefined;
    }
  }

  /** SIGKILL the process (no cleanup can run); the next invocation starts a fresh one. */
  private kill(): void {
    const child = this.child;
    this.child = undefined;
    if (child && child.exitCode === null) child.kill('SIGKILL');
  }

  async close(): Promise<void> {
    this.kill();
  }

  private onRequest(req: IncomingMessage): boolean {
    const running = this.running;
    if (!running) return false;
    running.requests++;
    if (running.crashAtRequest !== undefined && running.requests >= running.crashAtRequest) {
      this.kill();
      req.socket.destroy();
      running.settle({
        kind: 'crash',
        error: `killed at its S3 request #${running.requests} (${req.method} ${req.url})`,
      });
      return true;
    }
    return false;
  }

  private async start(): Promise<ChildProcess> {
    if (this.child) return this.child;
    this.endpoint ??= await this.options.proxy.listen((req) => this.onRequest(req));
    const child = fork(join(__dirname, 'instance-process.cjs'), [], {
      env: { ...this.options.env, AWS_ENDPOINT_URL: this.endpoint, HARNESS_HANDLER_BUNDLE: this.options.bundle },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      execArgv: [],
    });
    this.child = child;
    for (const stream of [child.stdout!, child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => this.options.onOutput(line, this.id));
    }
    child.on('message', (message: { requestId?: string; result?: unknown; error?: string }) => {
      const running = this.running;
      if (!running || message.requestId !== running.requestId || running.child !== child) return;
      running.settle(
        message.error !== undefined ? { kind: 'error', error: message.error } : { kind: 'ok', result: message.result },
      );
    });
    child.on('exit', (code, signal) => {
      if (this.child === child) this.child = undefined;
      // Killed by us: the outcome is already settled. Any other exit is the handler dying on its own.
      if (this.running?.child === child)
        this.running.settle({ kind: 'died', error: `instance exited (code ${code}, signal ${signal})` });
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no ready message within 30 s')), 30_000);
      const onMessage = (message: { ready?: boolean }) => {
        if (!message.ready) return;
        clearTimeout(timer);
        child.off('message', onMessage);
        resolve();
      };
      child.on('message', onMessage);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`exited with code ${code} while loading ${this.options.bundle}`));
      });
    });
    return child;
  }
}
