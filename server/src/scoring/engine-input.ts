import type { EntityInput, FactSnapshot } from '../engine/types.js';
import type { StoredEntity, StoredFact } from '../store/index.js';

/** Kinds that are scored (Groups, Users, Domains and Locations are context, not subjects). */
export const SCORED_KINDS = new Set(['component', 'api', 'resource', 'system']);

/**
 * Turn stored facts into the engine's input. A fact older than its maximum age is marked stale,
 * so the checks reading it become `unknown` rather than passing on old data.
 * `overlay` facts (a pull request's own) replace the stored ones of the same id.
 */
export function toEngineInput(
  stored: StoredEntity,
  facts: readonly StoredFact[],
  maxAges: Readonly<Record<string, number>>,
  now: Date,
  overlay: readonly { id: string; data: unknown; collectedAt?: Date }[] = [],
): EntityInput {
  const snapshots: Record<string, FactSnapshot> = {};
  const nowMs = now.getTime();
  for (const f of facts) {
    const maxAge = maxAges[f.id];
    const age = (nowMs - f.collectedAt.getTime()) / 1000;
    snapshots[f.id] = { id: f.id, data: f.data, collectedAt: f.collectedAt.toISOString(), stale: maxAge !== undefined && age > maxAge };
  }
  for (const f of overlay) {
    snapshots[f.id] = { id: f.id, data: f.data, collectedAt: (f.collectedAt ?? now).toISOString(), stale: false };
  }
  return { ref: stored.ref, entity: stored.entity, facts: snapshots };
}
