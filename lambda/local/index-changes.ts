/**
 * Tells which charts an index write added, replaced or dropped, by comparing each repository's index with the
 * one seen before. Reading the result is how local mode reports "indexed" without a log line per chart from
 * the handler, and without re-implementing any of its logic.
 */
import { load } from 'js-yaml';

export interface IndexedChart {
  readonly name: string;
  readonly version: string;
  readonly digest: string;
  /** The entry's first url: the chart's file name in its repository folder (percent-encoded `+`). */
  readonly url: string;
}

export interface IndexChanges {
  readonly added: IndexedChart[];
  readonly replaced: IndexedChart[];
  readonly removed: IndexedChart[];
}

/** The charts an index lists, by url. Unreadable text yields an empty map (the indexer only writes valid ones). */
export function chartsInIndex(text: string): Map<string, IndexedChart> {
  const charts = new Map<string, IndexedChart>();
  let parsed: unknown;
  try {
    parsed = load(text); // YAML; JSON is read as YAML too, as Helm does
  } catch {
    return charts;
  }
  const entries = (parsed as { entries?: Record<string, unknown> } | null)?.entries;
  if (typeof entries !== 'object' || entries === null) return charts;
  for (const [name, versions] of Object.entries(entries)) {
    if (!Array.isArray(versions)) continue;
    for (const v of versions as Array<Record<string, unknown>>) {
      const url = Array.isArray(v?.urls) ? String(v.urls[0]) : '';
      charts.set(url, { name, version: String(v?.version ?? ''), digest: String(v?.digest ?? ''), url });
    }
  }
  return charts;
}

export function compareIndexes(before: Map<string, IndexedChart>, after: Map<string, IndexedChart>): IndexChanges {
  const changes: IndexChanges = { added: [], replaced: [], removed: [] };
  for (const [url, chart] of after) {
    const previous = before.get(url);
    if (previous === undefined) changes.added.push(chart);
    else if (previous.digest !== chart.digest || previous.version !== chart.version) changes.replaced.push(chart);
  }
  for (const [url, chart] of before) if (!after.has(url)) changes.removed.push(chart);
  return changes;
}
