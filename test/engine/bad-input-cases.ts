/**
 * Malformed (and oddly formed) chart archives, each with what we must answer and what Helm answers. Built in
 * memory with test/support/chart-archive, so every byte is deliberate.
 */
import { ARCHIVE_CASES } from './bad-archive-cases';
import { CHART_CASES } from './bad-chart-cases';
import type { BadInputCase } from './bad-input-support';

export type { BadInputCase } from './bad-input-support';

export const BAD_INPUT_CASES: readonly BadInputCase[] = [...ARCHIVE_CASES, ...CHART_CASES];
