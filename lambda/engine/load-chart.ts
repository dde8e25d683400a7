/**
 * Helm's LoadFiles (pkg/chart/v2/loader/load.go) over the files kept from the archive: every Chart.yaml first
 * (unset apiVersion means v1), then requirements.yaml in archive order into the same metadata, then validation.
 */
import { applyMetadataFile } from './chart-yaml';
import type { ChartFileCollector } from './chart-files';
import { RejectionFault } from './errors';
import type { GoStruct } from './go-decode';
import type { ArchiveLimits } from './limits';
import type { ChartMetadata } from './types';
import { validateMetadata } from './validate-metadata';

export function loadChartMetadata(collector: ChartFileCollector, limits: ArchiveLimits): ChartMetadata {
  if (collector.fileCount === 0) {
    throw new RejectionFault('no-files', 'no files in chart archive', 'a chart folder with Chart.yaml');
  }
  let metadata: GoStruct | undefined;
  for (const f of collector.kept) {
    if (f.name !== 'Chart.yaml') continue;
    metadata ??= {};
    applyMetadataFile(metadata, f.data, 'Chart.yaml', limits.maxYamlDepth);
    if (!metadata.apiVersion) metadata.apiVersion = 'v1';
  }
  for (const f of collector.kept) {
    if (f.name === 'requirements.yaml') {
      metadata ??= {};
      applyMetadataFile(metadata, f.data, 'requirements.yaml', limits.maxYamlDepth);
    }
  }
  if (metadata === undefined) {
    throw new RejectionFault('missing-chart-yaml', 'Chart.yaml file is missing', '<chart>/Chart.yaml in the archive');
  }
  return validateMetadata(metadata);
}
