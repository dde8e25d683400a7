/**
 * The data the index engine works on, shaped as Helm's own types (helm/helm pkg/chart/v2 Metadata and
 * pkg/repo IndexFile / ChartVersion) with the field names `index.yaml` uses. No AWS types here: the Lambda
 * handler, the command line and the local repository mode all share this engine.
 */

/** A maintainer in Chart.yaml. */
export interface Maintainer {
  readonly name: string;
  readonly email?: string;
  readonly url?: string;
}

/** A dependency in Chart.yaml (apiVersion v2) or requirements.yaml (apiVersion v1). */
export interface ChartDependency {
  readonly name: string;
  readonly version?: string;
  readonly repository?: string;
  readonly condition?: string;
  readonly tags?: readonly string[];
  readonly enabled?: boolean;
  readonly 'import-values'?: readonly unknown[];
  readonly alias?: string;
}

/** Chart.yaml, validated and typed as Helm types it (appVersion `1.10` stays the string "1.10"). */
export interface ChartMetadata {
  readonly name: string;
  readonly home?: string;
  readonly sources?: readonly string[];
  readonly version: string;
  readonly description?: string;
  readonly keywords?: readonly string[];
  readonly maintainers?: readonly Maintainer[];
  readonly icon?: string;
  readonly apiVersion: string;
  readonly condition?: string;
  readonly tags?: string;
  readonly appVersion?: string;
  readonly deprecated?: boolean;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly kubeVersion?: string;
  readonly dependencies?: readonly ChartDependency[];
  readonly type?: string;
}

/** One entry of `index.yaml`: the chart's metadata plus where it lives and what its bytes hash to. */
export interface ChartVersion extends ChartMetadata {
  readonly urls: readonly string[];
  /** RFC 3339 time. The indexer uses the object's LastModified, so a rebuild never rewrites history. */
  readonly created: string;
  /** sha256 of the archive's exact bytes, lowercase hex. */
  readonly digest: string;
  /** Fields Helm's ChartVersion still reads from old indexes (kept when present, never written for new entries). */
  readonly removed?: boolean;
  readonly checksum?: string;
  readonly engine?: string;
  readonly tillerVersion?: string;
  readonly url?: string;
}

/** What reading one chart archive yields. */
export interface ChartArchive {
  readonly metadata: ChartMetadata;
  /** sha256 of the archive's exact bytes, lowercase hex. */
  readonly digest: string;
  readonly sizeBytes: number;
}
