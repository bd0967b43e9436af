/** Shaping helpers shared by the routes: level names, distributions, health, entity summaries. */
import type { Definitions } from '../engine/index.js';
import type { EntityRow } from '../store/database.js';
import type { DailyLevelCountRow, LevelCountRow } from '../store/index.js';
import type { DailyDistribution, EntityLevel, EntitySummary, LevelCount, TrackDistribution } from './api-types.js';

/** Levels of a track, lowest first. */
export function trackLevels(definitions: Definitions, trackId: string): { id: string; name: string }[] {
  return definitions.tracks.get(trackId)?.definition.levels.map((l) => ({ id: l.id, name: l.name })) ?? [];
}

/** Distribution of one track from (levelIndex → count) rows: "none" first, then each level. */
export function distribution(definitions: Definitions, trackId: string, rows: readonly Pick<LevelCountRow, 'levelIndex' | 'count'>[]): TrackDistribution {
  const levels = trackLevels(definitions, trackId);
  const counts = new Array<number>(levels.length + 1).fill(0);
  for (const r of rows) {
    const i = r.levelIndex + 1;
    if (i >= 0 && i < counts.length) counts[i] += r.count;
  }
  const out: LevelCount[] = [{ levelId: null, name: 'None', count: counts[0] }, ...levels.map((l, i) => ({ levelId: l.id, name: l.name, count: counts[i + 1] }))];
  return { trackId, name: definitions.tracks.get(trackId)?.definition.name ?? trackId, total: counts.reduce((a, b) => a + b, 0), levels: out };
}

/** Distributions of every current track from mixed rows. */
export function distributions(definitions: Definitions, rows: readonly LevelCountRow[]): TrackDistribution[] {
  return [...definitions.tracks.keys()].map((id) => distribution(definitions, id, rows.filter((r) => r.trackId === id)));
}

/**
 * Health, 0–100: the mean over (entity, track) pairs of (levels reached ÷ levels in the track),
 * one decimal; null without pairs. Tracks no longer defined are ignored.
 */
export function health(definitions: Definitions, rows: readonly LevelCountRow[]): number | null {
  let sum = 0;
  let n = 0;
  for (const r of rows) {
    const levels = definitions.tracks.get(r.trackId)?.definition.levels.length;
    if (!levels) continue;
    sum += (Math.max(-1, Math.min(r.levelIndex, levels - 1)) + 1) / levels * r.count;
    n += r.count;
  }
  return n === 0 ? null : Math.round((sum / n) * 1000) / 10;
}

/** Daily distributions (one per day × track) from roll-up rows, oldest first. */
export function dailyDistributions(definitions: Definitions, rows: readonly DailyLevelCountRow[]): DailyDistribution[] {
  const groups = new Map<string, DailyLevelCountRow[]>();
  for (const r of rows) {
    if (!definitions.tracks.has(r.trackId)) continue;
    const key = `${r.day}\u0000${r.trackId}`;
    const list = groups.get(key) ?? [];
    list.push(r);
    groups.set(key, list);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, list]) => {
      const d = distribution(definitions, list[0].trackId, list);
      return { day: list[0].day, trackId: list[0].trackId, total: d.total, levels: d.levels, health: health(definitions, list) };
    });
}

export function entitySummary(row: EntityRow, levels: EntityLevel[]): EntitySummary {
  return {
    ref: row.ref, kind: row.kind, namespace: row.namespace, name: row.name, title: row.title, owner: row.owner,
    system: row.system, type: row.type, lifecycle: row.lifecycle, githubSlug: row.github_slug, levels,
  };
}

export function entityLevel(row: { track_id: string; level: string | null; level_index: number; next_level: string | null }): EntityLevel {
  return { trackId: row.track_id, level: row.level, levelIndex: row.level_index, nextLevel: row.next_level };
}
