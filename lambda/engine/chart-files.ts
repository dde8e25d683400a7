/**
 * Collects what Helm's loader looks at while the tar streams past: it applies Helm's per-entry rules (paths,
 * per-file and total size) and keeps only the files that decide whether the chart loads and what its metadata is.
 */
import { RejectionFault } from './errors';
import { chartPath } from './entry-path';
import type { ArchiveLimits } from './limits';
import type { TarEntry, TarVisitor } from './tar-walker';

export interface KeptFile {
  /** Path inside the chart folder. */
  readonly name: string;
  data: Buffer;
}

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** Files the v2 loader parses (LoadFiles): metadata first, then the files whose parse errors fail the load. */
const KEPT = new Set(['Chart.yaml', 'requirements.yaml']);

export class ChartFileCollector implements TarVisitor {
  /** Files with data, in archive order (Helm keeps that order). */
  readonly kept: KeptFile[] = [];
  /** Entries Helm counts as files (not directories, not extension headers). */
  fileCount = 0;
  private remaining: number;

  constructor(private readonly limits: ArchiveLimits) {
    this.remaining = limits.maxChartBytes;
  }

  entry(entry: TarEntry): boolean {
    if (entry.isDir) return false;
    const name = chartPath(entry.name);
    const max = this.limits.maxChartBytes;
    if (entry.size > this.remaining) {
      throw new RejectionFault(
        'chart-too-large',
        `decompressed chart is larger than the maximum size ${max}`,
        `at most ${max} bytes unpacked`,
      );
    }
    if (entry.size > this.limits.maxFileBytes) {
      throw new RejectionFault(
        'file-too-large',
        `decompressed chart file "${entry.name}" is larger than the maximum file size ${this.limits.maxFileBytes}`,
        `files of at most ${this.limits.maxFileBytes} bytes unpacked`,
      );
    }
    // Helm copies at most `remaining` bytes and fails when the copy falls short of the stated size (a link with
    // a size) or the budget is used up; the header already says which, so fail now instead of after the data.
    this.remaining -= entry.dataSize;
    if (entry.dataSize < entry.size || this.remaining <= 0) {
      throw new RejectionFault(
        'chart-too-large',
        `decompressed chart is larger than the maximum size ${max}`,
        `at most ${max} bytes unpacked`,
      );
    }
    this.fileCount++;
    if (!KEPT.has(name)) return false;
    const file: KeptFile = { name, data: Buffer.alloc(0) };
    this.kept.push(file);
    this.pending = file;
    return true;
  }

  private pending: KeptFile | undefined;

  data(_entry: TarEntry, data: Buffer): void {
    if (!this.pending) return;
    this.pending.data = data.subarray(0, 3).equals(UTF8_BOM) ? data.subarray(3) : data;
    this.pending = undefined;
  }
}
