/**
 * `index --merge FILE --json` without parsing all of FILE: a 10,000-version index is mostly charts the merge
 * does not touch, and JSON.parse plus JSON.stringify of all of it cost more than the rest of the command.
 * json-index-scan checks FILE's bytes in one pass; charts whose name the new index does not have are copied as
 * they are (their bytes mean what the model would write for them); the others are parsed and merged by
 * RepositoryIndex.mergeFrom and written as toJson writes them. When FILE is not in the recognised shape, this
 * returns undefined and the caller takes the model path (RepositoryIndex.parse + mergeFrom + toJson), which
 * stays the reference: the result means the same either way.
 */
import { parseIndexDocument } from './index-parse';
import { scanJsonIndex, type ScannedChart } from './json-index-scan';
import { RepositoryIndex } from './repository-index';

export interface SplicedIndex {
  /**
   * The merged index as JSON, in pieces to write one after the other (most are slices of the merge file's
   * bytes: joining them would copy the whole index once more). It means what toJson writes after mergeFrom.
   */
  readonly pieces: readonly Buffer[];
  readonly versionCount: number;
}

/**
 * Merges the JSON index `bytes` (the file `source`) into `index`, as index.mergeFrom(RepositoryIndex.parse(...))
 * would, and returns the result serialized. Undefined (and `index` untouched) when the bytes are not recognised.
 */
export function spliceJsonMerge(
  index: RepositoryIndex,
  bytes: Buffer,
  source: string,
  generated: Date,
): SplicedIndex | undefined {
  const scanned = scanJsonIndex(bytes);
  if (!scanned) return undefined;
  try {
    parseIndexDocument(scanned.header, source); // the header checks the model path makes (apiVersion, types)
  } catch {
    return undefined;
  }
  const own = new Set(index.chartNames());
  const copied: ScannedChart[] = [];
  const merged: ScannedChart[] = [];
  for (const chart of scanned.charts) {
    if (chart.versions === 0) continue;
    (own.has(chart.name) || !chart.ordered ? merged : copied).push(chart);
  }
  if (merged.length > 0) {
    const entries = merged.map((c) => `${JSON.stringify(c.name)}:${bytes.toString('utf8', c.start, c.end)}`);
    const other = RepositoryIndex.parse(`{"apiVersion":"v1","entries":{${entries.join(',')}}}`, source);
    if (other.skipped.length > 0) return undefined; // not expected: the scanner accepts fast-path entries only
    index.mergeFrom(other);
  }
  copied.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  const parts = index.toJsonParts(generated);
  const chunks: Buffer[] = [Buffer.from(parts.before)];
  let separator = '';
  let i = 0;
  let j = 0;
  while (i < parts.charts.length || j < copied.length) {
    if (j === copied.length || (i < parts.charts.length && parts.charts[i][0] < copied[j].name)) {
      const [name, json] = parts.charts[i++];
      chunks.push(Buffer.from(`${separator}${JSON.stringify(name)}:${json}`));
    } else {
      const chart = copied[j++];
      chunks.push(Buffer.from(`${separator}${JSON.stringify(chart.name)}:`), bytes.subarray(chart.start, chart.end));
    }
    separator = ',';
  }
  chunks.push(Buffer.from(parts.after));
  let versionCount = index.versionCount;
  for (const chart of copied) versionCount += chart.versions;
  return { pieces: chunks, versionCount };
}
