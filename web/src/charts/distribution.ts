import type { DailyDistribution, LevelCount, TrackDistribution } from '../api/types.js';
import type { NamedLevel } from '../components/levels.js';
import { NONE_KEY, type StackRow } from './level-stack-chart.js';

/** Level counts → a stack row keyed by level id (`NONE_KEY` for no level). */
export function countsRow(label: string, levels: LevelCount[]): StackRow {
  return { label, counts: Object.fromEntries(levels.map((l) => [l.levelId ?? NONE_KEY, l.count])) };
}

/** The levels of one or more distributions, in order, without "none" and without repeats. */
export function levelsOf(distributions: { levels: LevelCount[] }[]): NamedLevel[] {
  const seen = new Map<string, NamedLevel>();
  for (const d of distributions) for (const l of d.levels) if (l.levelId && !seen.has(l.levelId)) seen.set(l.levelId, { id: l.levelId, name: l.name });
  return [...seen.values()];
}

export function byTrack<T extends { trackId: string }>(rows: T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const list = out.get(r.trackId) ?? [];
    list.push(r);
    out.set(r.trackId, list);
  }
  return out;
}

export type { DailyDistribution, TrackDistribution };
