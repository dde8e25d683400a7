/**
 * Tells which charts an index write added, replaced or dropped, by comparing each repository's index with the
 * one seen before. Reading the result (with the engine's own index reader) is how local mode reports
 * "indexed" without a log line per chart from the handler, and without re-implementing any of its logic.
 */
import { RepositoryIndex } from '../engine';

export interface IndexedChart {
  readonly name: string;
  readonly version: string;
  readonly digest: string;
  /** The chart's file in its repository folder (decoded: `my chart+1.0.0.tgz`). */
  readonly file: string;
}

export interface IndexChanges {
  readonly added: IndexedChart[];
  readonly replaced: IndexedChart[];
  readonly removed: IndexedChart[];
}

/** The charts an index lists, by file. Text that is not an index yields none (the indexer writes only valid ones). */
export function chartsInIndex(text: string, source: string): Map<string, IndexedChart> {
  const charts = new Map<string, IndexedChart>();
  let index: RepositoryIndex;
  try {
    index = RepositoryIndex.parse(text, source);
  } catch {
    return charts;
  }
  for (const file of index.files()) {
    const entry = index.entryForFile(file);
    if (entry) charts.set(file, { name: entry.name, version: entry.version, digest: entry.digest, file });
  }
  return charts;
}

export function compareIndexes(before: Map<string, IndexedChart>, after: Map<string, IndexedChart>): IndexChanges {
  const changes: IndexChanges = { added: [], replaced: [], removed: [] };
  for (const [file, chart] of after) {
    const previous = before.get(file);
    if (previous === undefined) changes.added.push(chart);
    else if (previous.digest !== chart.digest || previous.version !== chart.version) changes.replaced.push(chart);
  }
  for (const [file, chart] of before) if (!after.has(file)) changes.removed.push(chart);
  return changes;
}
