/**
 * How an index object is stored: YAML (Helm's default) or JSON (INDEX_FORMAT=json; Helm detects JSON in
 * index.yaml and parses it far faster). Cache-Control makes CloudFront and clients revalidate on every fetch,
 * so a publish is visible at once without paid invalidations (the ETag keeps revalidation cheap).
 */
import { RepositoryIndex } from '../engine';

export type IndexFormat = 'yaml' | 'json';

export const INDEX_CACHE_CONTROL = 'no-cache';

export function parseIndexFormat(value: string | undefined): IndexFormat {
  const format = (value ?? '').trim().toLowerCase();
  if (format === '' || format === 'yaml') return 'yaml';
  if (format === 'json') return 'json';
  throw new Error(`INDEX_FORMAT must be "yaml" or "json", received ${JSON.stringify(value)}`);
}

export function serializeIndex(
  index: RepositoryIndex,
  format: IndexFormat,
  generated: Date,
): { body: string; contentType: string } {
  return format === 'json'
    ? { body: index.toJson(generated), contentType: 'application/json' }
    : { body: index.toYaml(generated), contentType: 'application/yaml' };
}
