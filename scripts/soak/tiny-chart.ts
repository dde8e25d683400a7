/**
 * Tiny valid chart archives built in process (a Chart.yaml, values and one template, ~500 bytes gzipped):
 * fast enough to make 10,000 for the reindex figure, and lenient enough to make an invalid one (any version
 * string). The soak scenario's charts come from test/support/chart-corpus.ts (realistic, ~4 KiB). The builder
 * is the tests' own (test/support/chart-archive.ts), so the soak and the tests make the same charts.
 */
export {
  smallChartArchive as tinyChartArchive,
  type SmallChartOptions as TinyChartOptions,
} from '../../test/support/chart-archive';
