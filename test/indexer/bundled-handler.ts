/**
 * Loads the esbuild bundle the construct ships (dist/bundle/indexer/index.js), not the TypeScript source, and
 * captures what it prints: Powertools' JSON log lines and EMF metric documents, which the tests read back.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const BUNDLE = join(__dirname, '..', '..', 'dist', 'bundle', 'indexer', 'index.js');

export type Handler = (event: unknown, context?: unknown) => Promise<Record<string, unknown>>;

/** Requires a fresh copy of the bundle (a new "container"); set the environment first. */
export function loadBundledHandler(): Handler {
  if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} does not exist; run \`npm run build\` first (npm test does)`);
  let handler: Handler | undefined;
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a fresh copy of the built bundle, by path
    handler = (require(BUNDLE) as { handler: Handler }).handler;
  });
  if (handler === undefined) throw new Error(`${BUNDLE} exports no handler`);
  return handler;
}

type Json = Record<string, unknown>;

/**
 * Everything the handler writes to stdout and stderr (Powertools logs warnings and errors to stderr), parsed.
 * Set SHOW_HANDLER_OUTPUT=1 to also see it; print() writes past the capture.
 */
export class HandlerOutput {
  private records: Json[] = [];
  private spies: jest.SpyInstance[] = [];
  private readonly stderrWrite = process.stderr.write.bind(process.stderr);

  start(): void {
    for (const stream of [process.stdout, process.stderr]) {
      const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
      const spy = jest.spyOn(stream, 'write').mockImplementation(((chunk: string | Uint8Array, ...rest: unknown[]) => {
        let ours = false;
        for (const line of String(chunk).split('\n')) {
          if (!line.startsWith('{')) continue;
          try {
            this.records.push(JSON.parse(line) as Json);
            ours = true;
          } catch {
            // not JSON: not one of ours
          }
        }
        if (!ours || process.env.SHOW_HANDLER_OUTPUT === '1') return write(chunk, ...rest);
        return true;
      }) as typeof stream.write);
      this.spies.push(spy);
    }
  }

  stop(): void {
    for (const spy of this.spies) spy.mockRestore();
    this.spies = [];
  }

  /** Writes to the real stderr (figures the tests report). */
  print(text: string): void {
    this.stderrWrite(text);
  }

  clear(): void {
    this.records = [];
  }

  /** Sum of each metric over the EMF documents captured since the last clear(). */
  metrics(): Record<string, number> {
    const sums: Record<string, number> = {};
    for (const record of this.records) {
      const aws = record._aws as
        { CloudWatchMetrics?: { Namespace: string; Metrics: { Name: string }[] }[] } | undefined;
      for (const directive of aws?.CloudWatchMetrics ?? []) {
        for (const { Name } of directive.Metrics) {
          const value = record[Name];
          const values = Array.isArray(value) ? (value as number[]) : [value as number];
          sums[Name] = (sums[Name] ?? 0) + values.reduce((a, b) => a + b, 0);
        }
      }
    }
    return sums;
  }

  /** The EMF documents (to check namespace and dimensions). */
  emf(): Json[] {
    return this.records.filter((record) => record._aws !== undefined);
  }

  /** Log lines with the given message. */
  logs(message?: string | RegExp): Json[] {
    return this.records.filter(
      (record) =>
        record._aws === undefined &&
        (message === undefined ||
          (typeof message === 'string' ? record.message === message : message.test(String(record.message)))),
    );
  }

  /** Sum of the S3 request counts the handler logged per invocation. */
  s3Requests(): Record<string, number> {
    const sums: Record<string, number> = {};
    for (const record of this.logs('invocation done')) {
      for (const [name, count] of Object.entries(record.s3Requests as Record<string, number>))
        sums[name] = (sums[name] ?? 0) + count;
    }
    return sums;
  }
}
