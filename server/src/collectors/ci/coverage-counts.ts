/** Found/hit counters of one coverage dimension (lines, branches or functions). */
export interface Counter {
  found: number;
  hit: number;
}

/** The `ci.coverage` fact's data. Percentages are 0–100 with two decimals; null when nothing was measured. */
export interface CoverageData {
  line: number | null;
  branch: number | null;
  function: number | null;
  linesFound: number;
  linesHit: number;
  format: 'lcov' | 'cobertura' | 'other';
  commit?: string;
}

/** `hit / found` in percent, two decimals; null when there was nothing to cover. */
export function percent(hit: number, found: number): number | null {
  if (found <= 0) return null;
  return Math.round((Math.min(hit, found) / found) * 10_000) / 100;
}
