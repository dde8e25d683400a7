/**
 * Collects what Helm's loader looks at while the tar streams past: it applies Helm's per-entry rules (paths,
 * per-file and total size) and keeps only the files whose content decides whether the chart loads (LoadFiles):
 * at the chart root and at every subchart root, Chart.yaml, requirements.yaml, values.yaml, Chart.lock and
 * requirements.lock; and each packaged subchart (charts/*.tgz). Other files only leave their name behind.
 */
import { RejectionFault } from './errors';
import { chartPath } from './entry-path';
import type { ArchiveLimits } from './limits';
import type { TarEntry, TarVisitor } from './tar-walker';

export interface KeptFile {
  /** Path inside the chart folder, e.g. "Chart.yaml" or "charts/redis/values.yaml". */
  readonly name: string;
  data: Buffer;
}

/** Files LoadFiles parses, by their name at a chart root. */
export const PARSED_FILES = new Set([
  'Chart.yaml',
  'requirements.yaml',
  'values.yaml',
  'Chart.lock',
  'requirements.lock',
]);

const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

export class ChartFileCollector implements TarVisitor {
  /** Kept files, in archive order (Helm keeps that order). */
  readonly kept: KeptFile[] = [];
  /**
   * Subchart groups Helm builds from charts/: "<root>charts/<name>" -> the first file seen in it (archive order).
   * `.prov` files never form a group; names starting with "_" or "." are skipped by Helm (kept here, skipped later).
   */
  readonly subcharts = new Map<string, string>();
  /** Entries Helm counts as files (not directories, not extension headers). */
  fileCount = 0;
  private remaining: number;
  private pending: KeptFile | undefined;

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
    if (!this.wanted(name)) return false;
    const file: KeptFile = { name, data: Buffer.alloc(0) };
    this.kept.push(file);
    this.pending = file;
    return true;
  }

  /**
   * Records the subchart groups this file belongs to (one per level of charts/<name>/ nesting, as Helm's
   * recursive LoadFiles sees it) and says whether its content must be kept.
   */
  private wanted(name: string): boolean {
    const prov = name.endsWith('.prov'); // Helm files .prov under charts/ as plain files, at every level
    let root = '';
    let rest = name;
    for (;;) {
      if (PARSED_FILES.has(rest)) return true;
      if (prov || !rest.startsWith('charts/')) return false;
      const slash = rest.indexOf('/', 7);
      const cname = slash === -1 ? rest.slice(7) : rest.slice(7, slash);
      const group = `${root}charts/${cname}`;
      if (!this.subcharts.has(group)) this.subcharts.set(group, name);
      if (slash === -1) return cname.endsWith('.tgz') && this.subcharts.get(group) === name;
      root = `${group}/`;
      rest = rest.slice(slash + 1);
    }
  }

  data(_entry: TarEntry, data: Buffer): void {
    if (!this.pending) return;
    this.pending.data = data.subarray(0, 3).equals(UTF8_BOM) ? data.subarray(3) : data;
    this.pending = undefined;
  }
}
