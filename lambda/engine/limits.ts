/** Bounds on what one archive may cost to read, so hostile input fails fast with bounded memory. */
export interface ArchiveLimits {
  /** Compressed archive bytes. Helm has no such cap; ours keeps one S3 object from tying up a Lambda. */
  readonly maxArchiveBytes: number;
  /** Sum of the chart's file sizes once unpacked (Helm: MaxDecompressedChartSize, 100 MiB, must stay below). */
  readonly maxChartBytes: number;
  /** One unpacked file (Helm: MaxDecompressedFileSize, 5 MiB). */
  readonly maxFileBytes: number;
  /** Nesting depth of YAML collections (go-yaml, as Helm uses it, stops at 10,000; no real chart nests past a few). */
  readonly maxYamlDepth: number;
  /** Nested chart archives (charts/*.tgz inside charts/*.tgz ...). Helm has no bound; each level is another 100 MiB. */
  readonly maxSubchartDepth: number;
}

const MiB = 1024 * 1024;

export const DEFAULT_LIMITS: ArchiveLimits = {
  maxArchiveBytes: 256 * MiB,
  maxChartBytes: 100 * MiB,
  maxFileBytes: 5 * MiB,
  maxYamlDepth: 1000,
  maxSubchartDepth: 5,
};

export function resolveLimits(limits: Partial<ArchiveLimits> | undefined): ArchiveLimits {
  return limits ? { ...DEFAULT_LIMITS, ...limits } : DEFAULT_LIMITS;
}
