// The construct library's entry point: everything a consumer imports.
export * from './helm-chart-repository';
export { RepositoryAccess, RepositoryAccessKind, type BasicAuthOptions } from './access-mode';
export { RepositoryEncryption } from './chart-bucket';
export { ClientAccess, EksClientKind, type ClientOptions, type EksClientOptions, type Ec2Client } from './clients';
export { type RepositoryDomain } from './distribution';
export { IndexFormat, INDEXER_METRICS_NAMESPACE, CHARTS_REJECTED_METRIC } from './indexer';
export { IndexerAlarms } from './alarms';
