/**
 * The handler's settings, from the Lambda environment. Read on every invocation (it is cheap) so one loaded
 * bundle can be driven with different settings; only the S3 client is configured once, at module load.
 */
import { parseIndexFormat, type IndexFormat } from './index-format';
import { parseAllowList } from './repository-prefix';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry';

export interface IndexerConfig {
  /** BUCKET_NAME: the bucket a reindex request without `bucket` works on. */
  readonly defaultBucket?: string;
  /** REPOSITORY_PREFIXES: allowed repository folders (and their sub-folders); undefined = all. */
  readonly allowList?: readonly string[];
  /** INDEX_FORMAT: yaml (default) or json. */
  readonly format: IndexFormat;
  /** BASE_URL: URL serving the bucket root, for absolute entry urls; unset = relative urls (Helm's default). */
  readonly baseUrl?: string;
  /** READ_CONCURRENCY: archives read at once per repository (default 8). */
  readonly readConcurrency: number;
  readonly retry: RetryPolicy;
}

export function readConfig(env: NodeJS.ProcessEnv): IndexerConfig {
  return {
    defaultBucket: nonEmpty(env.BUCKET_NAME),
    allowList: parseAllowList(env.REPOSITORY_PREFIXES),
    format: parseIndexFormat(env.INDEX_FORMAT),
    baseUrl: nonEmpty(env.BASE_URL),
    readConcurrency: positiveInt(env.READ_CONCURRENCY, 8, 'READ_CONCURRENCY'),
    retry: {
      ...DEFAULT_RETRY_POLICY,
      maxAttempts: positiveInt(
        env.INDEX_WRITE_MAX_ATTEMPTS,
        DEFAULT_RETRY_POLICY.maxAttempts,
        'INDEX_WRITE_MAX_ATTEMPTS',
      ),
    },
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

function positiveInt(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value.trim() === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1)
    throw new Error(`${name} must be a positive integer, received ${JSON.stringify(value)}`);
  return parsed;
}
