/** The index engine: chart archives in, Helm repository index out. No AWS types; shared by Lambda, CLI and local mode. */
export { readChartArchive, readChartArchiveBuffer, type ReadChartArchiveOptions } from './archive';
export { chartVersion, chartUrl, formatGoTime, type ChartVersionOptions } from './chart-version';
export { ChartRejectedError, isRejected, type RejectionCode } from './errors';
export { DEFAULT_LIMITS, type ArchiveLimits } from './limits';
export { RepositoryIndex, fileOfUrl, compareVersionsDescending, type IndexHeader } from './repository-index';
export type { TextSink } from './yaml-emit';
export type { EntryProblem } from './index-entry';
export { parseSemVer, compareSemVer, isValidSemVer, type SemVer } from './semver';
export type { ChartArchive, ChartDependency, ChartMetadata, ChartVersion, Maintainer } from './types';
