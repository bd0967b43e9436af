import { evaluateEntity } from '../engine/index.js';
import type { Definitions } from '../engine/index.js';
import { createHash } from 'node:crypto';
import type { EntityEvaluation, EntityInput, Exemption } from '../engine/types.js';
import { hashJson, utcDay, type Store, type StoredEntity } from '../store/index.js';
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
  /** Pages evaluated and saved at once (PostgreSQL: 2, one evaluating while one writes; PGlite: 1). */
  concurrency?: number;
  /** Return every evaluation in the summary (a full rescore of a large catalog would hold millions). Default: incremental only. */
  keepEvaluations?: boolean;
}

export interface RescoreSummary {
  entities: number;
  outcomeChanges: number;
  levelChanges: number;
  definitionsVersion: string;
  evaluations: EntityEvaluation[];
  /** Entities skipped by a full rescore because their inputs had not changed. */
  unchanged: number;
  /**
   * Where the time went (ms). `evaluate` is CPU (fingerprints, rules, messages); `read` and `write`
   * are summed over the pages, which overlap on PostgreSQL, and include waiting for the CPU;
   * `rollups` is the set-based roll-up refresh at the end of a full rescore.
   */
  timings: { read: number; evaluate: number; write: number; rollups: number };
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
  const summary: RescoreSummary = { entities: scored.length, outcomeChanges: 0, levelChanges: 0, definitionsVersion: definitions.version, evaluations: [], unchanged: 0,
    timings: { read: 0, evaluate: 0, write: 0, rollups: 0 } };
  const keep = options.keepEvaluations ?? Boolean(options.refs);
  const clock = clockBucket(definitions, now);
  /** Run `work`, adding its wall time to `summary.timings[key]`. */
  const timed = async <T>(key: keyof RescoreSummary['timings'], work: () => T | Promise<T>): Promise<T> => {
    const t0 = performance.now();
    try {
      return await work();
    } finally {
      summary.timings[key] += performance.now() - t0;
    }
  };
  let skipped = 0;
  /** Share of the last page's entities whose fingerprint had changed: decides how the next page is read. */
  let changedShare = 0;
  const pages: StoredEntity[][] = [];
  for (let i = 0; i < scored.length; i += pageSize) pages.push(scored.slice(i, i + pageSize));
  const results: EntityEvaluation[][] = [];
  let done = 0;
  let next = 0;
  // Pages run on separate connections: while one page's results are written, the next is read and evaluated.
  const lanes = Math.max(1, Math.min(options.concurrency ?? (store.dialect === 'postgres' ? 2 : 1), pages.length));
  await Promise.all(Array.from({ length: lanes }, async () => {
    while (next < pages.length) {
      const index = next++;
      const page = pages[index];
      // A full rescore skips entities scored from exactly these inputs before (same definitions,
      // descriptor, fact data and staleness, exemptions): their stored results are still right.
      // (Not when the caller wants every evaluation back: skipped entities would be missing from it.)
      const known = options.refs || keep ? new Map<string, string>() : await timed('read', () => store.results.inputHashes(page.map((e) => e.ref)));
      // By the database's clock, before the inputs are read: a save never puts results made from
      // older inputs over these (see SaveContext.inputsReadAt).
      const inputsReadAt = await timed('read', () => store.results.clock());
      const fingerprints = new Map<string, string>();
      let todo: PreparedInput[];
      const takeFingerprints = (items: FingerprintInput[]) =>
        timed('evaluate', () => { for (const item of items) fingerprints.set(item.ref, fingerprint(definitions, item, clock)); });
      const changedSince = <T extends { ref: string }>(items: T[]) => items.filter((item) => known.get(item.ref) !== fingerprints.get(item.ref));
      if (known.size > 0 && changedShare < 0.5) {
        // Fingerprints first, from the facts' hashes and collection times; the facts' data only of
        // the entities whose fingerprint changed (in a steady catalog, none).
        await takeFingerprints(await timed('read', () => loadHeads(store, page, options.maxAges, now)));
        const changed = changedSince(page);
        todo = changed.length === 0 ? [] : await timed('read', () => loadInputs(store, changed, options.maxAges, now));
        // The fingerprint stored with an evaluation is taken from the very inputs it was evaluated from.
        await takeFingerprints(todo);
      } else {
        // Nothing scored before, or most of the last page changed (a new definitions version, a
        // new hour with clock rules): reading the facts' keys first would only add a read.
        const inputs = await timed('read', () => loadInputs(store, page, options.maxAges, now));
        await takeFingerprints(inputs);
        todo = changedSince(inputs);
      }
      if (known.size > 0) changedShare = todo.length / page.length;
      const evaluatedRefs = new Set(todo.map((i) => i.ref));
      const unchangedRefs = page.map((e) => e.ref).filter((ref) => !evaluatedRefs.has(ref));
      skipped += unchangedRefs.length;
      await store.results.touchEvaluations(unchangedRefs, now);
      const evaluations = await timed('evaluate', () => todo.map((i) => evaluateEntity(definitions, i.input, i.exemptions, now)));
      const owners = new Map(page.map((e) => [e.ref, e.owner]));
      const saved = await timed('write', () => store.results.save(evaluations, {
        ownerOf: (ref) => owners.get(ref) ?? null, levelIndex, now, deferRollup: !options.refs, inputHashOf: (ref) => fingerprints.get(ref), inputsReadAt,
      }));
      summary.outcomeChanges += saved.outcomeChanges;
      summary.levelChanges += saved.levelChanges;
      if (keep) results[index] = evaluations;
      done += page.length;
      options.onProgress?.(done, scored.length);
    }
  }));
  if (keep) summary.evaluations = results.flat();
  summary.unchanged = skipped;
  if (!options.refs) {
    // Today's roll-ups in a few set-based statements: per entity × track from the stored levels
    // (skipped entities included), then the level counts from those.
    await timed('rollups', async () => {
      await store.results.refreshEntityRollup(utcDay(now));
      // Per-check totals: the live counts, folded, copied into the day's roll-up.
      await store.results.foldCheckCounts();
      await store.results.refreshCheckRollup(utcDay(now));
    });
  }
  for (const k of Object.keys(summary.timings) as (keyof RescoreSummary['timings'])[]) summary.timings[k] = Math.round(summary.timings[k]);
  return summary;
}

/** What an entity's fingerprint is taken from: its descriptor, its facts' keys, its exemptions. */
interface FingerprintInput {
  ref: string;
  entity: EntityInput['entity'];
  exemptions: Exemption[];
  /** `id:hash:stale` of each stored fact, sorted. */
  factHashes: string[];
}

interface PreparedInput extends FingerprintInput {
  input: EntityInput;
}

/** A fact as the fingerprint sees it: id, content hash, and whether it is stale at `now` (as `toEngineInput` decides). */
function factKey(id: string, hash: string, collectedAt: Date, maxAges: Readonly<Record<string, number>>, now: Date): string {
  const maxAge = maxAges[id];
  const stale = maxAge !== undefined && (now.getTime() - collectedAt.getTime()) / 1000 > maxAge;
  return `${id}:${hash}:${stale ? 's' : ''}`;
}

function exemptionsByEntity(exemptions: Exemption[]): Map<string, Exemption[]> {
  const byEntity = new Map<string, Exemption[]>();
  for (const ex of exemptions) byEntity.set(ex.entityRef, [...(byEntity.get(ex.entityRef) ?? []), ex]);
  return byEntity;
}

/** Read a page of entities' stored facts and active exemptions into the engine's input. */
async function loadInputs(store: Store, page: StoredEntity[], maxAges: Readonly<Record<string, number>>, now: Date): Promise<PreparedInput[]> {
  const refs = page.map((e) => e.ref);
  const [facts, exemptions] = await Promise.all([store.facts.latest(refs), store.exemptions.active(now, refs)]);
  const byEntity = exemptionsByEntity(exemptions);
  return page.map((e) => {
    const stored = facts.get(e.ref) ?? [];
    const input = toEngineInput(e, stored, maxAges, now);
    return {
      ref: e.ref, input, entity: input.entity, exemptions: byEntity.get(e.ref) ?? [],
      factHashes: stored.map((f) => factKey(f.id, f.hash ?? hashJson(f.data), f.collectedAt, maxAges, now)).sort(),
    };
  });
}

/** What a page of entities' fingerprints are taken from, without reading the facts' data. */
async function loadHeads(store: Store, page: StoredEntity[], maxAges: Readonly<Record<string, number>>, now: Date): Promise<FingerprintInput[]> {
  const refs = page.map((e) => e.ref);
  const [heads, exemptions] = await Promise.all([store.facts.heads(refs), store.exemptions.active(now, refs)]);
  const byEntity = exemptionsByEntity(exemptions);
  return page.map((e) => ({
    ref: e.ref, entity: e.entity, exemptions: byEntity.get(e.ref) ?? [],
    factHashes: (heads.get(e.ref) ?? []).map((f) => factKey(f.id, f.hash, f.collectedAt, maxAges, now)).sort(),
  }));
}

/** Evaluate a page of entities with their stored facts and active exemptions (no writes). */
export async function evaluatePage(
  store: Store,
  definitions: Definitions,
  page: StoredEntity[],
  maxAges: Readonly<Record<string, number>>,
  now: Date,
): Promise<EntityEvaluation[]> {
  return (await loadInputs(store, page, maxAges, now)).map((i) => evaluateEntity(definitions, i.input, i.exemptions, now));
}

/**
 * The part of the clock in the fingerprint: the hour when a rule reads the clock (`age_days`), whose
 * outcome can change with no input changing; otherwise none. (The day's roll-up rows do not need a
 * re-score: a full rescore writes them from the stored levels.) Fact staleness and exemption expiry
 * are in the fingerprint already, worked out at `now`.
 */
function clockBucket(definitions: Definitions, now: Date): string {
  return readsClock(definitions) ? now.toISOString().slice(0, 13) : '';
}

const clockReaders = new WeakMap<Definitions, boolean>();

/** Whether any check or track rule reads the clock (`age_days`); worked out once per definitions. */
function readsClock(definitions: Definitions): boolean {
  let reads = clockReaders.get(definitions);
  if (reads === undefined) {
    const logic = [
      ...[...definitions.checks.values()].map((c) => [c.definition.rule, c.definition.appliesTo ?? null]),
      ...[...definitions.tracks.values()].map((t) => t.definition.appliesTo ?? null),
    ];
    reads = JSON.stringify(logic).includes('"age_days"');
    clockReaders.set(definitions, reads);
  }
  return reads;
}

/** What an entity's evaluation depends on, hashed: equal fingerprints give equal results. */
function fingerprint(definitions: Definitions, p: FingerprintInput, clock: string): string {
  const exemptions = p.exemptions.map((e) => `${e.checkId}:${e.expiresAt}:${e.author}:${e.reason}`).sort();
  return createHash('sha1')
    .update(JSON.stringify([definitions.version, clock, p.entity, p.factHashes, exemptions]))
    .digest('base64url');
}
