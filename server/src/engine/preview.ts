/**
 * Preview a change of definitions before publishing it: which outcomes and levels move, for
 * which entities, and a summary per track and level ("3 entities drop from silver").
 */
import { evaluateEntity } from './evaluate.js';
import type { Definitions } from './load-definitions.js';
import type { EntityEvaluation, EntityInput, Exemption, Outcome } from './types.js';

export interface OutcomeChange {
  checkId: string;
  /** Null when the check does not exist in that version. */
  before: Outcome | null;
  after: Outcome | null;
}

export interface LevelChange {
  trackId: string;
  /** Null when the entity reached no level, or the track did not score it. */
  before: string | null;
  after: string | null;
  direction: 'up' | 'down' | 'same';
}

/** One entity whose outcomes or levels change; unchanged entities are left out. */
export interface EntityPreview {
  ref: string;
  outcomeChanges: OutcomeChange[];
  /** Only tracks whose level changes. */
  levelChanges: LevelChange[];
}

export interface LevelSummary {
  levelId: string;
  /** Entities at this level or above, before and after. */
  before: number;
  after: number;
  /** Entities that reached this level before and no longer do. */
  dropped: string[];
  /** Entities that reach this level now and did not before. */
  gained: string[];
}

export interface TrackSummary {
  trackId: string;
  levels: LevelSummary[];
  /** Sentences such as `3 entities drop from silver (12 → 9)`. */
  lines: string[];
}

export interface PreviewResult {
  entities: EntityPreview[];
  summary: TrackSummary[];
}

export interface PreviewInput {
  before: Definitions;
  after: Definitions;
  entities: readonly EntityInput[];
  exemptions: readonly Exemption[];
  now: Date;
}

/**
 * Evaluate every entity with both versions of the definitions and report the difference.
 *
 * @example
 * ```ts
 * const { summary } = previewDefinitions({ before, after: draft, entities, exemptions, now: new Date() });
 * summary[0].lines; // ['2 entities drop from silver (5 → 3)']
 * ```
 */
export function previewDefinitions(input: PreviewInput): PreviewResult {
  const entities: EntityPreview[] = [];
  const trackIds = [...new Set([...input.before.tracks.keys(), ...input.after.tracks.keys()])].sort();
  // rank[trackId][ref] = index of the level reached, -1 for none, undefined when not scored.
  const ranks = { before: new Map<string, Map<string, number>>(), after: new Map<string, Map<string, number>>() };

  for (const entity of input.entities) {
    const before = evaluateEntity(input.before, entity, input.exemptions, input.now);
    const after = evaluateEntity(input.after, entity, input.exemptions, input.now);
    recordRanks(ranks.before, input.before, before);
    recordRanks(ranks.after, input.after, after);
    const outcomeChanges = diffOutcomes(before, after);
    const levelChanges: LevelChange[] = [];
    for (const trackId of trackIds) {
      const b = before.tracks.find((t) => t.trackId === trackId);
      const a = after.tracks.find((t) => t.trackId === trackId);
      const bRank = ranks.before.get(trackId)?.get(entity.ref);
      const aRank = ranks.after.get(trackId)?.get(entity.ref);
      if ((b?.level ?? null) === (a?.level ?? null) && (b === undefined) === (a === undefined)) continue;
      const direction = (aRank ?? -1) > (bRank ?? -1) ? 'up' : (aRank ?? -1) < (bRank ?? -1) ? 'down' : 'same';
      levelChanges.push({ trackId, before: b?.level ?? null, after: a?.level ?? null, direction });
    }
    if (outcomeChanges.length > 0 || levelChanges.length > 0) entities.push({ ref: entity.ref, outcomeChanges, levelChanges });
  }

  const summary: TrackSummary[] = trackIds.map((trackId) => {
    const levelIds = [
      ...new Set([
        ...(input.before.tracks.get(trackId)?.definition.levels ?? []).map((l) => l.id),
        ...(input.after.tracks.get(trackId)?.definition.levels ?? []).map((l) => l.id),
      ]),
    ];
    const reaches = (which: 'before' | 'after', ref: string, levelId: string): boolean => {
      const defs = which === 'before' ? input.before : input.after;
      const idx = defs.tracks.get(trackId)?.definition.levels.findIndex((l) => l.id === levelId) ?? -1;
      const rank = ranks[which].get(trackId)?.get(ref);
      return idx >= 0 && rank !== undefined && rank >= idx;
    };
    const levels = levelIds.map((levelId): LevelSummary => {
      const s: LevelSummary = { levelId, before: 0, after: 0, dropped: [], gained: [] };
      for (const { ref } of input.entities) {
        const b = reaches('before', ref, levelId);
        const a = reaches('after', ref, levelId);
        if (b) s.before++;
        if (a) s.after++;
        if (b && !a) s.dropped.push(ref);
        if (!b && a) s.gained.push(ref);
      }
      return s;
    });
    const lines: string[] = [];
    for (const l of levels) {
      const n = (k: number) => `${k} entit${k === 1 ? 'y' : 'ies'}`;
      if (l.dropped.length) lines.push(`${n(l.dropped.length)} drop${l.dropped.length === 1 ? 's' : ''} from ${l.levelId} (${l.before} → ${l.after})`);
      if (l.gained.length) lines.push(`${n(l.gained.length)} reach${l.gained.length === 1 ? 'es' : ''} ${l.levelId} (${l.before} → ${l.after})`);
    }
    return { trackId, levels, lines };
  });

  return { entities, summary };
}

function recordRanks(into: Map<string, Map<string, number>>, defs: Definitions, evaluation: EntityEvaluation): void {
  for (const t of evaluation.tracks) {
    const levels = defs.tracks.get(t.trackId)?.definition.levels ?? [];
    const rank = t.level === null ? -1 : levels.findIndex((l) => l.id === t.level);
    if (!into.has(t.trackId)) into.set(t.trackId, new Map());
    into.get(t.trackId)!.set(evaluation.ref, rank);
  }
}

function diffOutcomes(before: EntityEvaluation, after: EntityEvaluation): OutcomeChange[] {
  const b = new Map(before.results.map((r) => [r.checkId, r.outcome]));
  const a = new Map(after.results.map((r) => [r.checkId, r.outcome]));
  const ids = [...new Set([...b.keys(), ...a.keys()])].sort();
  return ids
    .map((checkId) => ({ checkId, before: b.get(checkId) ?? null, after: a.get(checkId) ?? null }))
    .filter((c) => c.before !== c.after);
}
