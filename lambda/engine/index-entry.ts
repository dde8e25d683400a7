/**
 * Reading entries of an existing index as Helm does (pkg/repo/v1/index.go loadIndex): each entry is decoded into
 * ChartVersion (unknown fields dropped: Helm's strict YAML reader would refuse the whole index otherwise), an
 * unset apiVersion becomes v1, and an entry that fails validation is skipped, as Helm skips it.
 */
import { CHART_VERSION_SPEC } from './chart-yaml';
import { RejectionFault } from './errors';
import { decodeDocument, type GoStruct } from './go-decode';
import type { GoYamlValue } from './go-yaml';
import { fastIndexEntry } from './index-entry-fast';
import type { ChartVersion } from './types';
import { omitEmpty, validateMetadata } from './validate-metadata';

export interface EntryProblem {
  readonly name: string;
  readonly version: string;
  readonly reason: string;
}

/** Decodes and validates one entry; returns undefined (and reports why) when Helm would skip it. */
export function readIndexEntry(
  name: string,
  raw: GoYamlValue,
  onSkip: (problem: EntryProblem) => void,
): ChartVersion | undefined {
  if (raw === null) {
    onSkip({ name, version: '', reason: 'empty entry' });
    return undefined;
  }
  const fast = fastIndexEntry(raw);
  if (fast) return fast;
  const cv: GoStruct = {};
  try {
    decodeDocument(cv, raw, CHART_VERSION_SPEC);
    if (!cv.apiVersion) cv.apiVersion = 'v1';
    const metadata = validateMetadata(cv, { allowDuplicateDependencies: true });
    return {
      ...metadata,
      urls: (cv.urls as string[] | undefined) ?? [],
      ...omitEmpty({
        created: (cv.created as string | undefined) ?? '0001-01-01T00:00:00Z',
        removed: cv.removed === true ? true : undefined,
        digest: cv.digest as string | undefined,
        checksum: cv.checksum as string | undefined,
        engine: cv.engine as string | undefined,
        tillerVersion: cv.tillerVersion as string | undefined,
        url: cv.url as string | undefined,
      }),
    } as ChartVersion;
  } catch (error) {
    if (!(error instanceof RejectionFault)) throw error;
    onSkip({ name, version: typeof cv.version === 'string' ? cv.version : '', reason: error.reason });
    return undefined;
  }
}
