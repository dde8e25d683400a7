/** The soak's printed table. */

export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function formatMs(ms: number | undefined): string {
  if (ms === undefined) return 'n/a';
  return Math.abs(ms) >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${Math.round(ms)} ms`;
}

/** Two aligned columns; a row with an empty value is a section heading. */
export function table(rows: readonly (readonly [string, string | number])[]): string {
  const width = Math.max(...rows.filter(([, value]) => value !== '').map(([label]) => label.length));
  return rows
    .map(([label, value]) => (value === '' ? `\n${label}` : `  ${label.padEnd(width)}  ${value}`))
    .join('\n')
    .trimStart();
}
