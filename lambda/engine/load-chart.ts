/**
 * Helm's LoadFiles (pkg/chart/v2/loader/load.go) over the files kept from the archive, for the chart and, the
 * same way, for every subchart: every Chart.yaml first (an unset apiVersion means v1), then in archive order
 * requirements.yaml (into the same metadata), values.yaml, Chart.lock and requirements.lock (each must load),
 * then validation, then each subchart in charts/ (a folder, or a .tgz read like any chart archive).
 */
import { applyMetadataFile, checkLockFile } from './chart-yaml';
import type { ChartFileCollector, KeptFile } from './chart-files';
import { RejectionFault } from './errors';
import type { GoStruct } from './go-decode';
import type { ArchiveLimits } from './limits';
import type { ChartMetadata } from './types';
import { validateMetadata } from './validate-metadata';
import { checkValuesFile } from './values';
import { decodeUtf8 } from './chart-yaml';

/** Reads a packaged subchart (charts/x.tgz) as Helm's LoadArchive does; returns its validated metadata. */
export type NestedArchiveLoader = (data: Buffer, name: string) => Promise<ChartMetadata>;

export async function loadChart(
  collector: ChartFileCollector,
  limits: ArchiveLimits,
  loadNested: NestedArchiveLoader,
): Promise<ChartMetadata> {
  if (collector.fileCount === 0) {
    throw new RejectionFault('no-files', 'no files in chart archive', 'a chart folder with Chart.yaml');
  }
  return loadChartAt('', collector, limits, loadNested);
}

function filesAt(root: string, kept: readonly KeptFile[]): Array<{ name: string; data: Buffer; path: string }> {
  const out: Array<{ name: string; data: Buffer; path: string }> = [];
  for (const f of kept) {
    if (!f.name.startsWith(root)) continue;
    const name = f.name.slice(root.length);
    if (!name.includes('/')) out.push({ name, data: f.data, path: f.name });
  }
  return out;
}

async function loadChartAt(
  root: string,
  collector: ChartFileCollector,
  limits: ArchiveLimits,
  loadNested: NestedArchiveLoader,
): Promise<ChartMetadata> {
  const depth = limits.maxYamlDepth;
  const files = filesAt(root, collector.kept);
  let metadata: GoStruct | undefined;
  for (const f of files) {
    if (f.name !== 'Chart.yaml') continue;
    metadata ??= {};
    applyMetadataFile(metadata, f.data, f.path, depth);
    if (!metadata.apiVersion) metadata.apiVersion = 'v1';
  }
  for (const f of files) {
    switch (f.name) {
      case 'requirements.yaml':
        metadata ??= {};
        applyMetadataFile(metadata, f.data, f.path, depth);
        break;
      case 'values.yaml':
        checkValuesFile(decodeUtf8(f.data, f.path, 'invalid-values'), f.path, depth);
        break;
      case 'requirements.lock':
        metadata ??= {}; // Helm creates the metadata here too, so the error is then "apiVersion is required"
        checkLockFile(f.data, f.path, depth);
        break;
      case 'Chart.lock':
        checkLockFile(f.data, f.path, depth);
        break;
    }
  }
  if (metadata === undefined) {
    const where = root === '' ? '' : ` in ${root.slice(0, -1)}`;
    throw new RejectionFault(
      'missing-chart-yaml',
      `Chart.yaml file is missing${where}`,
      `${root}Chart.yaml in the archive`,
    );
  }
  const validated = validateMetadata(metadata);
  for (const [group, first] of collector.subcharts) {
    const prefix = `${root}charts/`;
    if (!group.startsWith(prefix) || group.indexOf('/', prefix.length) !== -1) continue;
    const cname = group.slice(prefix.length);
    if (cname.startsWith('_') || cname.startsWith('.')) continue; // Helm ignores these
    await loadSubchart(group, cname, first, validated.name, collector, limits, loadNested);
  }
  return validated;
}

async function loadSubchart(
  group: string,
  cname: string,
  first: string,
  parent: string,
  collector: ChartFileCollector,
  limits: ArchiveLimits,
  loadNested: NestedArchiveLoader,
): Promise<void> {
  try {
    if (cname.endsWith('.tgz')) {
      if (first !== group) {
        throw new RejectionFault(
          'invalid-subchart',
          `error unpacking subchart tar in ${parent}: expected ${cname}, got ${first.slice(group.length - cname.length)}`,
          'charts/*.tgz to be files',
        );
      }
      const file = collector.kept.find((f) => f.name === group);
      await loadNested(file ? file.data : Buffer.alloc(0), group);
    } else {
      await loadChartAt(`${group}/`, collector, limits, loadNested);
    }
  } catch (error) {
    if (error instanceof RejectionFault) {
      if (error.code === 'invalid-subchart' && error.reason.startsWith('error unpacking subchart tar')) throw error;
      throw new RejectionFault(
        'invalid-subchart',
        `error unpacking subchart ${cname} in ${parent}: ${error.reason}`,
        `every subchart in charts/ to load (${error.expected})`,
      );
    }
    throw error;
  }
}
