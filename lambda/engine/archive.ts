/**
 * readChartArchive: one pass over a chart archive's bytes. The sha256 digest covers the exact bytes; the same
 * bytes are gunzipped and the tar walked as Helm's loader walks it; Chart.yaml (and requirements.yaml) are then
 * parsed and validated as Helm does. Memory stays bounded: only the few kept files are buffered, and inflating
 * stops as soon as a limit is crossed.
 */
import { createHash } from 'node:crypto';
import { createGunzip, type Gunzip } from 'node:zlib';
import { ChartFileCollector } from './chart-files';
import { loadChartMetadata } from './load-chart';
import { ChartRejectedError, RejectionFault } from './errors';
import { resolveLimits, type ArchiveLimits } from './limits';
import { TarWalker } from './tar-walker';
import type { ChartArchive } from './types';

export interface ReadChartArchiveOptions {
  /** The archive's name in messages (object key or path). */
  readonly file: string;
  readonly limits?: Partial<ArchiveLimits>;
}

const GZIP_MAGIC = [0x1f, 0x8b, 0x08];

function zlibRejection(error: NodeJS.ErrnoException): RejectionFault {
  if (error.code === 'Z_BUF_ERROR' || /unexpected end/i.test(error.message)) {
    return new RejectionFault('truncated', 'the gzip stream ends early (unexpected EOF)', 'a complete gzip stream');
  }
  return new RejectionFault('corrupt-gzip', `the gzip stream is corrupt (${error.message})`, 'a valid gzip stream');
}

/** Feeds decompressed bytes to the tar walker and stops inflating as soon as it has seen enough or too much. */
class Inflater {
  readonly gunzip: Gunzip = createGunzip({ chunkSize: 64 * 1024 });
  failure: unknown;
  private readonly done: Promise<void>;

  constructor(
    private readonly walker: TarWalker,
    private readonly maxInflatedBytes: number,
  ) {
    this.gunzip.on('data', (chunk: Buffer) => this.onData(chunk));
    this.done = new Promise<void>((resolve) => {
      this.gunzip.once('end', resolve);
      this.gunzip.once('close', resolve);
      this.gunzip.once('error', (error: NodeJS.ErrnoException) => {
        // After the tar's end marker Go reads no further, so later gzip damage does not matter.
        if (this.failure === undefined && !this.walker.ended) this.failure = zlibRejection(error);
        resolve();
      });
    });
  }

  /** False once nothing more needs inflating (tar ended, or a rejection is known). */
  get active(): boolean {
    return this.failure === undefined && !this.walker.ended;
  }

  private onData(chunk: Buffer): void {
    if (!this.active) return;
    try {
      this.walker.write(chunk);
      if (this.walker.bytesSeen > this.maxInflatedBytes) {
        throw new RejectionFault(
          'chart-too-large',
          `the archive inflates past ${this.maxInflatedBytes} bytes (gzip bomb?)`,
          'a chart that unpacks to a bounded size',
        );
      }
    } catch (error) {
      this.failure = error;
    }
    if (!this.active) this.gunzip.destroy();
  }

  async write(chunk: Uint8Array): Promise<void> {
    if (!this.active) return;
    if (!this.gunzip.write(chunk)) {
      await new Promise<void>((resolve) => {
        const onDrain = () => {
          this.gunzip.off('close', onDrain);
          resolve();
        };
        this.gunzip.once('drain', onDrain);
        this.gunzip.once('close', onDrain);
      });
    }
  }

  async end(): Promise<void> {
    if (this.active) this.gunzip.end();
    else this.gunzip.destroy();
    await this.done;
    if (this.failure === undefined) this.walker.finish();
  }
}

/**
 * Reads one chart archive. Throws ChartRejectedError when Helm would not load it (or a limit is crossed);
 * errors of `source` itself (I/O) propagate unchanged.
 */
export async function readChartArchive(
  source: AsyncIterable<Uint8Array>,
  options: ReadChartArchiveOptions,
): Promise<ChartArchive> {
  const limits = resolveLimits(options.limits);
  const file = options.file;
  const hash = createHash('sha256');
  const collector = new ChartFileCollector(limits);
  const walker = new TarWalker(collector);
  const inflater = new Inflater(walker, 2 * limits.maxChartBytes);
  let sizeBytes = 0;
  const head: number[] = [];
  try {
    for await (const chunk of source) {
      sizeBytes += chunk.length;
      if (sizeBytes > limits.maxArchiveBytes) {
        throw new RejectionFault(
          'archive-too-large',
          `the archive is larger than ${limits.maxArchiveBytes} bytes`,
          `an archive of at most ${limits.maxArchiveBytes} bytes`,
        );
      }
      hash.update(chunk);
      if (head.length < GZIP_MAGIC.length) {
        for (let i = 0; i < chunk.length && head.length < GZIP_MAGIC.length; i++) head.push(chunk[i]);
        if (head.length === GZIP_MAGIC.length) checkMagic(head);
      }
      await inflater.write(chunk);
      if (inflater.failure !== undefined) throw inflater.failure;
    }
    if (sizeBytes === 0) {
      throw new RejectionFault('empty-file', 'the file is empty', 'a gzipped tar archive (.tgz)');
    }
    if (head.length < GZIP_MAGIC.length) checkMagic(head);
    await inflater.end();
    if (inflater.failure !== undefined) throw inflater.failure;
    const metadata = loadChartMetadata(collector, limits);
    return { metadata, digest: hash.digest('hex'), sizeBytes };
  } catch (error) {
    inflater.gunzip.destroy();
    if (error instanceof RejectionFault) throw error.toRejection(file);
    if (error instanceof ChartRejectedError) throw error;
    throw error;
  }
}

function checkMagic(head: number[]): void {
  if (!GZIP_MAGIC.every((b, i) => head[i] === b)) {
    throw new RejectionFault('not-gzip', 'the file does not appear to be a gzipped archive', 'a gzipped tar archive (.tgz)');
  }
}
