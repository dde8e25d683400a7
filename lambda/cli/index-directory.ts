/**
 * Reads every chart archive `helm repo index` would consider in a directory and turns each into an index entry,
 * on one thread per core (./index-threads): inflating is most of the work, and each thread inflates its own
 * archives. Measured on 2 cores, 1,000 archives of 200 KB: 1.1 s on two threads, 1.7 s when the main thread
 * walked tars while libuv's pool inflated.
 */
import { availableParallelism } from 'node:os';
import { listChartFiles } from './chart-files';
import { readOnThreads } from './index-threads';
import type { IndexedChart, ReadResult, SkippedFile } from './read-chart-file';

export type { IndexedChart, SkippedFile } from './read-chart-file';

export interface IndexDirectoryOptions {
  /** `--url`: absolute urls; '' for relative ones. */
  readonly baseUrl: string;
  /** Threads reading archives, this one included; default one per core. */
  readonly threads?: number;
  readonly onProgress?: (done: number, total: number) => void;
}

export interface IndexDirectoryResult {
  /** Index entries in Helm's file order. */
  readonly charts: IndexedChart[];
  readonly skipped: SkippedFile[];
}

/** Reads all archives of `dir`; rejected archives are reported in `skipped`, I/O errors are thrown. */
export async function indexDirectory(dir: string, options: IndexDirectoryOptions): Promise<IndexDirectoryResult> {
  const files = listChartFiles(dir);
  const results: ReadResult[] = new Array(files.length);
  let done = 0;
  options.onProgress?.(0, files.length);
  await readOnThreads({ dir, files, baseUrl: options.baseUrl }, options.threads ?? availableParallelism(), (m) => {
    results[m.index] = m.result;
    options.onProgress?.(++done, files.length);
  });
  const charts: IndexedChart[] = [];
  const skipped: SkippedFile[] = [];
  for (const result of results) {
    if (result.chart) charts.push(result.chart);
    if (result.skipped) skipped.push(result.skipped);
  }
  return { charts, skipped };
}
