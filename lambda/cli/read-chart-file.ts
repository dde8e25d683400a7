/**
 * One archive of the indexed folder into its index entry, or the reason it is skipped. Runs on the main thread
 * and in the index workers alike (./index-threads).
 */
import { createReadStream, statSync } from 'node:fs';
import { join } from 'node:path';
import { ChartRejectedError, chartVersion, readChartArchive, readChartArchiveBuffer } from '../engine';
import type { ChartArchive, ChartVersion } from '../engine';
import { helmChartUrl } from './chart-url';
import type { ReusedBufferReader } from './file-reader';

/** An archive that is not a chart Helm would index, and why. */
export interface SkippedFile {
  readonly file: string;
  readonly reason: string;
}

/** An archive read into an index entry. */
export interface IndexedChart {
  /** Path under the indexed directory, `/`-separated: what identifies the entry. */
  readonly file: string;
  readonly version: ChartVersion;
}

/** What became of one file; plain data, so a worker can post it to the main thread. */
export interface ReadResult {
  readonly chart?: IndexedChart;
  readonly skipped?: SkippedFile;
}

/** Archives up to this size are read whole, in one call; larger ones are streamed. */
const WHOLE_FILE_BYTES = 8 * 1024 * 1024;
const STREAM_CHUNK_BYTES = 1024 * 1024;

async function readArchive(
  path: string,
  file: string,
  size: number,
  reader: ReusedBufferReader,
): Promise<ChartArchive> {
  if (size > WHOLE_FILE_BYTES) {
    return readChartArchive(createReadStream(path, { highWaterMark: STREAM_CHUNK_BYTES }), { file });
  }
  return readChartArchiveBuffer(reader.read(path, size), { file });
}

/**
 * Helm's url for the file (sub-folders, --url joining: see helmChartUrl), with `+` percent-encoded in the path,
 * as the engine does for every url: S3 and some CDNs read a bare `+` in a path as a space.
 */
function chartUrl(file: string, baseUrl: string): string {
  const url = helmChartUrl(file, baseUrl);
  const end = url.search(/[?#]/);
  const path = end < 0 ? url : url.slice(0, end);
  return path.replace(/\+/g, '%2B') + (end < 0 ? '' : url.slice(end));
}

/** Reads `dir/file`; a rejected archive is a skipped result, I/O errors are thrown. */
export async function readChartFile(
  dir: string,
  file: string,
  baseUrl: string,
  reader: ReusedBufferReader,
): Promise<ReadResult> {
  const path = join(dir, file);
  const info = statSync(path);
  if (!info.isFile()) {
    return { skipped: { file, reason: `${file}: not a regular file; expected a chart archive (.tgz file)` } };
  }
  try {
    const archive = await readArchive(path, file, info.size, reader);
    const version = chartVersion(archive, { file, created: info.mtime });
    return { chart: { file, version: { ...version, urls: [chartUrl(file, baseUrl)] } } };
  } catch (error) {
    if (error instanceof ChartRejectedError) return { skipped: { file, reason: error.message } };
    throw error;
  }
}
