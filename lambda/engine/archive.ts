/**
 * readChartArchive: one pass over a chart archive's bytes. The sha256 digest covers the exact bytes; the same
 * bytes are gunzipped and the tar walked as Helm's loader walks it; Chart.yaml (and requirements.yaml) are then
 * parsed and validated as Helm does. Memory stays bounded: only the few kept files are buffered, and inflating
 * stops as soon as a limit is crossed.
 */
import { createHash } from 'node:crypto';
import { ChartFileCollector } from './chart-files';
import { loadChartMetadata } from './load-chart';
import { ChartRejectedError, RejectionFault } from './errors';
import { GoGunzip } from './gunzip';
import { resolveLimits, type ArchiveLimits } from './limits';
import { TarWalker } from './tar-walker';
import type { ChartArchive } from './types';

export interface ReadChartArchiveOptions {
  /** The archive's name in messages (object key or path). */
  readonly file: string;
  readonly limits?: Partial<ArchiveLimits>;
}

const GZIP_MAGIC = [0x1f, 0x8b, 0x08];

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
  const maxInflated = 2 * limits.maxChartBytes;
  const gunzip = new GoGunzip((chunk) => {
    walker.write(chunk);
    if (walker.ended) gunzip.stop(); // Go reads nothing after the tar's end marker
    if (walker.bytesSeen > maxInflated) {
      throw new RejectionFault(
        'chart-too-large',
        `the archive inflates past ${maxInflated} bytes (gzip bomb?)`,
        'a chart that unpacks to a bounded size',
      );
    }
  });
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
      await gunzip.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      if (gunzip.failure !== undefined) throw gunzip.failure;
    }
    if (sizeBytes === 0) {
      throw new RejectionFault('empty-file', 'the file is empty', 'a gzipped tar archive (.tgz)');
    }
    if (head.length < GZIP_MAGIC.length) checkMagic(head);
    await gunzip.end();
    if (gunzip.failure !== undefined) throw gunzip.failure;
    walker.finish();
    const metadata = loadChartMetadata(collector, limits);
    return { metadata, digest: hash.digest('hex'), sizeBytes };
  } catch (error) {
    gunzip.stop();
    if (error instanceof RejectionFault) throw error.toRejection(file);
    if (error instanceof ChartRejectedError) throw error;
    throw error;
  }
}

function checkMagic(head: number[]): void {
  if (!GZIP_MAGIC.every((b, i) => head[i] === b)) {
    throw new RejectionFault(
      'not-gzip',
      'the file does not appear to be a gzipped archive',
      'a gzipped tar archive (.tgz)',
    );
  }
}
