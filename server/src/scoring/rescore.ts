import { evaluateEntity } from '../engine/index.js';
import type { Definitions } from '../engine/index.js';
import type { EntityEvaluation, Exemption } from '../engine/types.js';
import { utcDay, type Store, type StoredEntity } from '../store/index.js';
import { SCORED_KINDS, toEngineInput } from './engine-input.js';

export interface RescoreOptions {
  /** Only these entities (incremental); absent → every scored entity (full). */
  refs?: string[];
  now?: Date;
  maxAges: Readonly<Record<string, number>>;
  /** Called after each page with (done, total). */
  onProgress?: (done: number, total: number) => void;
  /** Entities per page: facts, exemptions and results move in batches of this size. */
  pageSize?: number;
}

export interface RescoreSummary {
  entities: number;
  outcomeChanges: number;
  levelChanges: number;
  definitionsVersion: string;
  evaluations: EntityEvaluation[];
}

/** Level position within its track (0 = first level, -1 = none): what roll-ups and sorting use. */
export function levelIndexer(definitions: Definitions) {
  const index = new Map<string, Map<string, number>>();
  for (const [id, t] of definitions.tracks) index.set(id, new Map(t.definition.levels.map((l, i) => [l.id, i])));
  return (trackId: string, level: string | null) => (level === null ? -1 : (index.get(trackId)?.get(level) ?? -1));
}

/**
 * Evaluate entities against the definitions and store results, levels and roll-ups.
 * Reads facts and exemptions page by page so a full rescore of a large catalog stays bounded in memory.
 */
export async function rescore(store: Store, definitions: Definitions, options: RescoreOptions): Promise<RescoreSummary> {
  const now = options.now ?? new Date();
  const pageSize = options.pageSize ?? 500;
  const all = options.refs ? await store.entities.list({ refs: options.refs }) : await store.entities.list();
  const scored = all.filter((e) => SCORED_KINDS.has(e.entity.kind.toLowerCase()));
  const levelIndex = levelIndexer(definitions);
  const summary: RescoreSummary = { entities: scored.length, outcomeChanges: 0, levelChanges: 0, definitionsVersion: definitions.version, evaluations: [] };
  for (let i = 0; i < scored.length; i += pageSize) {
    const page = scored.slice(i, i + pageSize);
    const evaluations = await evaluatePage(store, definitions, page, options.maxAges, now);
    const owners = new Map(page.map((e) => [e.ref, e.owner]));
    const saved = await store.results.save(evaluations, { ownerOf: (ref) => owners.get(ref) ?? null, levelIndex, now, deferCounts: !options.refs });
    summary.outcomeChanges += saved.outcomeChanges;
    summary.levelChanges += saved.levelChanges;
    summary.evaluations.push(...evaluations);
    options.onProgress?.(Math.min(i + pageSize, scored.length), scored.length);
  }
  if (!options.refs) {
    await store.results.refreshCheckRollup(utcDay(now));
    await store.results.refreshLevelCounts(utcDay(now));
  }
  return summary;
}

/** Evaluate a page of entities with their stored facts and active exemptions (no writes). */
export async function evaluatePage(
  store: Store,
  definitions: Definitions,
  page: StoredEntity[],
  maxAges: Readonly<Record<string, number>>,
  now: Date,
): Promise<EntityEvaluation[]> {
  const refs = page.map((e) => e.ref);
  const [facts, exemptions] = await Promise.all([store.facts.latest(refs), store.exemptions.active(now, refs)]);
  const byEntity = new Map<string, Exemption[]>();
  for (const ex of exemptions) byEntity.set(ex.entityRef, [...(byEntity.get(ex.entityRef) ?? []), ex]);
  return page.map((e) => evaluateEntity(definitions, toEngineInput(e, facts.get(e.ref) ?? [], maxAges, now), byEntity.get(e.ref) ?? [], now));
}
