import { type Kysely, sql } from 'kysely';
import type { EntityEvaluation, Outcome } from '../engine/types.js';
import type { Database } from './database.js';

/** Context needed to store evaluations: who owns each entity (for team roll-ups) and level order per track. */
export interface SaveContext {
  ownerOf: (ref: string) => string | null;
  /** Index of a level in its track (0 = first level), -1 for none. */
  levelIndex: (trackId: string, level: string | null) => number;
  now?: Date;
  /** Leave the per-day level counts to a `refreshLevelCounts` call after a full rescore. */
  deferCounts?: boolean;
  /** Leave today's per-entity roll-up rows (and the level counts) to a `refreshEntityRollup` call after a full rescore. */
  deferRollup?: boolean;
  /** Fingerprint of the inputs each entity was scored from (see `inputHashes`). */
  inputHashOf?: (ref: string) => string | undefined;
}

const CHUNK = 300;
const OUTCOME_COLUMN: Record<Outcome, 'pass' | 'fail' | 'unknown' | 'error' | 'not_applicable' | 'exempt'> = {
  pass: 'pass', fail: 'fail', unknown: 'unknown', error: 'error', 'not-applicable': 'not_applicable', exempt: 'exempt',
};

export const utcDay = (d: Date) => d.toISOString().slice(0, 10);

/** A fast 53-bit string hash (cyrb53): tells whether a result's content changed, not a security hash. */
function contentHash(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

/** One value for everything `save` stores of an evaluation: equal digests, nothing to write. */
function resultsDigest(ev: EntityEvaluation, levelIndex: SaveContext['levelIndex']): string {
  return contentHash(JSON.stringify([ev.results, ev.tracks, ev.tracks.map((t) => levelIndex(t.trackId, t.level))]));
}

export class ResultRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Store the latest results and levels; a history row is written only when an outcome or a level
   * changes. An entity whose results and levels come out exactly as stored (same digest) costs one
   * stamp: nothing of it is read back or rewritten. Today's roll-up per entity × track is upserted
   * here unless `deferRollup` (a full rescore writes them all at once with `refreshEntityRollup`);
   * call `refreshCheckRollup` after a full evaluation to recount today's per-check totals.
   */
  async save(evaluations: EntityEvaluation[], ctx: SaveContext): Promise<{ outcomeChanges: number; levelChanges: number; unchanged: number }> {
    const now = ctx.now ?? new Date();
    const day = utcDay(now);
    let outcomeChanges = 0;
    let levelChanges = 0;
    let unchanged = 0;
    const owners = new Set<string>();
    await this.db.transaction().execute(async (trx) => {
      for (let i = 0; i < evaluations.length; i += CHUNK) {
        const chunk = evaluations.slice(i, i + CHUNK);
        const refs = chunk.map((e) => e.ref);
        const digests = chunk.map((ev) => resultsDigest(ev, ctx.levelIndex));
        const stored = await trx.selectFrom('entity_evaluations').select(['entity_ref', 'results_hash']).where('entity_ref', 'in', refs).execute();
        const storedDigest = new Map(stored.map((r) => [r.entity_ref, r.results_hash]));
        const changedChunk = chunk.filter((ev, k) => storedDigest.get(ev.ref) !== digests[k]);
        unchanged += chunk.length - changedChunk.length;
        if (changedChunk.length > 0) {
          const counts = await this.#saveChanged(trx, changedChunk, ctx, now);
          outcomeChanges += counts.outcomeChanges;
          levelChanges += counts.levelChanges;
        }
        for (const ev of chunk) owners.add(ctx.ownerOf(ev.ref) ?? '');
        if (!ctx.deferRollup) await this.#upsertRollup(trx, chunk, ctx, day);
        // One evaluation stamp per entity: when it was last scored, with which definitions, from what.
        await sql`
          insert into entity_evaluations (entity_ref, definitions_version, evaluated_at, input_hash, results_hash)
          select e.ref, e.version, ${now}::timestamptz, e.input_hash, e.results_hash
          from unnest(${refs}::text[], ${chunk.map((e) => e.definitionsVersion)}::text[], ${refs.map((r) => ctx.inputHashOf?.(r) ?? null)}::text[],
            ${digests}::text[]) as e(ref, version, input_hash, results_hash)
          on conflict (entity_ref) do update set definitions_version = excluded.definitions_version, evaluated_at = excluded.evaluated_at,
            input_hash = excluded.input_hash, results_hash = excluded.results_hash`.execute(trx);
      }
      if (!ctx.deferCounts && !ctx.deferRollup) await this.#recountLevels(trx, day, [...owners]);
    });
    return { outcomeChanges, levelChanges, unchanged };
  }

  /** Results and levels of entities whose digest changed: diffed row by row against what is stored. */
  async #saveChanged(trx: Kysely<Database>, chunk: EntityEvaluation[], ctx: SaveContext, now: Date): Promise<{ outcomeChanges: number; levelChanges: number }> {
    const refs = chunk.map((e) => e.ref);
    const [oldResults, oldLevels] = await Promise.all([
      trx.selectFrom('results').select(['entity_ref', 'check_id', 'outcome', 'hash', 'changed_at']).where('entity_ref', 'in', refs).execute(),
      trx.selectFrom('track_levels').select(['entity_ref', 'track_id', 'level', 'level_index', 'next_level', 'missing', 'changed_at']).where('entity_ref', 'in', refs).execute(),
    ]);
    const prevResult = new Map(oldResults.map((r) => [`${r.entity_ref}\u0000${r.check_id}`, r]));
    const prevLevel = new Map(oldLevels.map((r) => [`${r.entity_ref}\u0000${r.track_id}`, r]));

    // Column arrays for one unnest() upsert: a handful of parameters whatever the row count
    // (a multi-row VALUES list hits PostgreSQL's 65,535-parameter limit at ~7,000 rows).
    // Only results whose content changed are written.
    const cols = { ref: [] as string[], check: [] as string[], outcome: [] as string[], message: [] as string[], values: [] as string[], exemption: [] as (string | null)[], version: [] as string[], changedAt: [] as Date[], hash: [] as string[] };
    const hist = { ref: [] as string[], check: [] as string[], outcome: [] as string[], previous: [] as string[], message: [] as string[], version: [] as string[] };
    const stale: { ref: string; ids: string[] }[] = [];
    const oldChecks = new Map<string, Set<string>>();
    for (const r of oldResults) {
      const set = oldChecks.get(r.entity_ref) ?? new Set<string>();
      set.add(r.check_id);
      oldChecks.set(r.entity_ref, set);
    }
    for (const ev of chunk) {
      for (const r of ev.results) {
        const prev = prevResult.get(`${ev.ref}\u0000${r.checkId}`);
        const values = JSON.stringify(r.values ?? {});
        const exemption = r.exemption ? JSON.stringify(r.exemption) : null;
        const hash = contentHash(`${r.outcome}\u0001${r.message}\u0001${values}\u0001${exemption ?? ''}`);
        if (prev && prev.hash === hash) continue;
        const changed = !prev || prev.outcome !== r.outcome;
        // History holds changes: an entity's (or a new check's) first outcome is not one.
        if (prev && changed) {
          hist.ref.push(ev.ref); hist.check.push(r.checkId); hist.outcome.push(r.outcome); hist.previous.push(prev.outcome);
          hist.message.push(r.message); hist.version.push(ev.definitionsVersion);
        }
        cols.ref.push(ev.ref); cols.check.push(r.checkId); cols.outcome.push(r.outcome); cols.message.push(r.message);
        cols.values.push(values); cols.exemption.push(exemption); cols.hash.push(hash);
        cols.version.push(ev.definitionsVersion); cols.changedAt.push(changed ? now : (prev!.changed_at as Date));
      }
      const old = oldChecks.get(ev.ref);
      const ids = ev.results.map((r) => r.checkId);
      if (old && old.size > 0) {
        const current = new Set(ids);
        if ([...old].some((id) => !current.has(id))) stale.push({ ref: ev.ref, ids });
      }
    }
    if (cols.ref.length) {
      await sql`
        insert into results (entity_ref, check_id, outcome, message, values, exemption, definitions_version, evaluated_at, changed_at, hash)
        select r.entity_ref, r.check_id, r.outcome, r.message, r.values, r.exemption, r.definitions_version, ${now}::timestamptz, r.changed_at, r.hash
        from unnest(${cols.ref}::text[], ${cols.check}::text[], ${cols.outcome}::text[], ${cols.message}::text[], ${cols.values}::jsonb[],
          ${cols.exemption}::jsonb[], ${cols.version}::text[], ${cols.changedAt}::timestamptz[], ${cols.hash}::text[])
          as r(entity_ref, check_id, outcome, message, values, exemption, definitions_version, changed_at, hash)
        on conflict (entity_ref, check_id) do update set
          outcome = excluded.outcome, message = excluded.message, values = excluded.values, exemption = excluded.exemption,
          definitions_version = excluded.definitions_version, evaluated_at = excluded.evaluated_at, changed_at = excluded.changed_at,
          hash = excluded.hash`.execute(trx);
    }
    if (hist.ref.length) {
      await sql`
        insert into result_history (entity_ref, check_id, outcome, previous_outcome, message, definitions_version, at)
        select h.entity_ref, h.check_id, h.outcome, h.previous_outcome, h.message, h.definitions_version, ${now}::timestamptz
        from unnest(${hist.ref}::text[], ${hist.check}::text[], ${hist.outcome}::text[], ${hist.previous}::text[], ${hist.message}::text[], ${hist.version}::text[])
          as h(entity_ref, check_id, outcome, previous_outcome, message, definitions_version)`.execute(trx);
    }
    // Checks no longer evaluated (removed from the definitions) leave the latest results.
    for (const { ref, ids } of stale) {
      let del = trx.deleteFrom('results').where('entity_ref', '=', ref);
      if (ids.length) del = del.where('check_id', 'not in', ids);
      await del.execute();
    }

    const levelRows = [];
    const levelHistory = [];
    for (const ev of chunk) {
      for (const t of ev.tracks) {
        const idx = ctx.levelIndex(t.trackId, t.level);
        const prev = prevLevel.get(`${ev.ref}\u0000${t.trackId}`);
        const changed = !prev || prev.level !== t.level;
        if (changed) {
          levelHistory.push({
            entity_ref: ev.ref, track_id: t.trackId, level: t.level, previous_level: prev?.level ?? null,
            level_index: idx, previous_level_index: prev ? prev.level_index : null, at: now,
          });
        }
        const missing = JSON.stringify(t.missing);
        if (changed || prev.level_index !== idx || prev.next_level !== t.nextLevel || JSON.stringify(prev.missing) !== missing) {
          levelRows.push({
            entity_ref: ev.ref, track_id: t.trackId, level: t.level, level_index: idx, next_level: t.nextLevel,
            missing, definitions_version: ev.definitionsVersion, evaluated_at: now,
            changed_at: changed ? now : (prev!.changed_at as Date),
          });
        }
      }
    }
    if (levelRows.length) {
      await trx.insertInto('track_levels').values(levelRows).onConflict((oc) => oc.columns(['entity_ref', 'track_id']).doUpdateSet((eb) => ({
        level: eb.ref('excluded.level'), level_index: eb.ref('excluded.level_index'), next_level: eb.ref('excluded.next_level'),
        missing: eb.ref('excluded.missing'), definitions_version: eb.ref('excluded.definitions_version'),
        evaluated_at: eb.ref('excluded.evaluated_at'), changed_at: eb.ref('excluded.changed_at'),
      }))).execute();
    }
    if (levelHistory.length) await trx.insertInto('level_history').values(levelHistory).execute();
    return { outcomeChanges: hist.ref.length, levelChanges: levelHistory.length };
  }

  /** Today's per-entity × track roll-up rows for these evaluations, where they differ from what is stored. */
  async #upsertRollup(trx: Kysely<Database>, chunk: EntityEvaluation[], ctx: SaveContext, day: string): Promise<void> {
    const refs = chunk.map((e) => e.ref);
    const oldRollup = await trx.selectFrom('rollup_entity_track_daily').select(['entity_ref', 'track_id', 'owner', 'level_index'])
      .where('day', '=', day).where('entity_ref', 'in', refs).execute();
    const prevRollup = new Map(oldRollup.map((r) => [`${r.entity_ref}\u0000${r.track_id}`, r]));
    const rows = [];
    for (const ev of chunk) {
      const owner = ctx.ownerOf(ev.ref);
      for (const t of ev.tracks) {
        const idx = ctx.levelIndex(t.trackId, t.level);
        const rolled = prevRollup.get(`${ev.ref}\u0000${t.trackId}`);
        if (!rolled || rolled.level_index !== idx || rolled.owner !== owner) {
          rows.push({ day, entity_ref: ev.ref, track_id: t.trackId, owner, level: t.level, level_index: idx });
        }
      }
    }
    if (rows.length === 0) return;
    await trx.insertInto('rollup_entity_track_daily').values(rows).onConflict((oc) => oc.columns(['day', 'entity_ref', 'track_id']).doUpdateSet((eb) => ({
      owner: eb.ref('excluded.owner'), level: eb.ref('excluded.level'), level_index: eb.ref('excluded.level_index'),
    }))).execute();
  }

  /**
   * Bring the day's per-entity × track roll-up in line with the stored levels and owners, in one
   * statement: what a full rescore calls once instead of upserting per page. Rows that already
   * agree are left alone; the day's rows of tracks an entity no longer has are removed.
   */
  async refreshEntityRollup(day = utcDay(new Date())): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await sql`
        insert into rollup_entity_track_daily (day, entity_ref, track_id, owner, level, level_index)
        select ${day}::date, l.entity_ref, l.track_id, e.owner, l.level, l.level_index
        from track_levels l join entities e on e.ref = l.entity_ref
        on conflict (day, entity_ref, track_id) do update set owner = excluded.owner, level = excluded.level, level_index = excluded.level_index
        where (rollup_entity_track_daily.owner, rollup_entity_track_daily.level, rollup_entity_track_daily.level_index)
          is distinct from (excluded.owner, excluded.level, excluded.level_index)`.execute(trx);
      await sql`
        delete from rollup_entity_track_daily r where r.day = ${day}::date
          and not exists (select 1 from track_levels l where l.entity_ref = r.entity_ref and l.track_id = r.track_id)`.execute(trx);
      await this.#recountLevels(trx, day);
    });
  }

  /** Stamp entities a full rescore found unchanged (same input fingerprint) as evaluated now. */
  async touchEvaluations(refs: string[], now: Date): Promise<void> {
    if (refs.length === 0) return;
    await sql`update entity_evaluations set evaluated_at = ${now}::timestamptz where entity_ref = any(${refs}::text[])`.execute(this.db);
  }

  /**
   * Recount the day's entities per track, owner and level from the per-entity roll-up (all owners,
   * or only those given). The overview and team trends read these counts, never the per-entity rows.
   */
  async refreshLevelCounts(day = utcDay(new Date()), owners?: string[]): Promise<void> {
    await this.db.transaction().execute((trx) => this.#recountLevels(trx, day, owners));
  }

  async #recountLevels(db: Kysely<Database>, day: string, owners?: string[]): Promise<void> {
    if (owners && owners.length === 0) return;
    const ownerFilter = owners ? sql`and coalesce(owner, '') = any(${owners}::text[])` : sql``;
    await sql`delete from rollup_level_counts_daily where day = ${day}::date ${owners ? sql`and owner = any(${owners}::text[])` : sql``}`.execute(db);
    await sql`
      insert into rollup_level_counts_daily (day, track_id, owner, level_index, entities)
      select day, track_id, coalesce(owner, ''), level_index, count(*)::int
      from rollup_entity_track_daily where day = ${day}::date ${ownerFilter}
      group by day, track_id, coalesce(owner, ''), level_index`.execute(db);
  }

  /** The input fingerprints the entities were last scored from. */
  async inputHashes(refs: string[]): Promise<Map<string, string>> {
    if (refs.length === 0) return new Map();
    const rows = await this.db.selectFrom('entity_evaluations').select(['entity_ref', 'input_hash']).where('entity_ref', 'in', refs).execute();
    return new Map(rows.filter((r) => r.input_hash !== null).map((r) => [r.entity_ref, r.input_hash as string]));
  }

  /** When an entity was last scored and with which definitions. */
  async evaluationOf(ref: string): Promise<{ definitionsVersion: string; evaluatedAt: Date } | undefined> {
    const row = await this.db.selectFrom('entity_evaluations').selectAll().where('entity_ref', '=', ref).executeTakeFirst();
    return row && { definitionsVersion: row.definitions_version, evaluatedAt: row.evaluated_at as Date };
  }

  /** Recount today's (or `day`'s) per-check outcome totals per owner from the latest results. */
  async refreshCheckRollup(day = utcDay(new Date())): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('rollup_check_daily').where('day', '=', day).execute();
      await sql`
        insert into rollup_check_daily (day, check_id, owner, pass, fail, unknown, error, not_applicable, exempt)
        select ${day}::date, r.check_id, coalesce(e.owner, ''),
          count(*) filter (where r.outcome = 'pass'), count(*) filter (where r.outcome = 'fail'),
          count(*) filter (where r.outcome = 'unknown'), count(*) filter (where r.outcome = 'error'),
          count(*) filter (where r.outcome = 'not-applicable'), count(*) filter (where r.outcome = 'exempt')
        from results r join entities e on e.ref = r.entity_ref
        group by r.check_id, coalesce(e.owner, '')`.execute(trx);
    });
  }

  /** Earliest day with a per-entity roll-up row, or null when there is none. */
  async firstRollupDay(): Promise<string | null> {
    const row = await this.db.selectFrom('rollup_entity_track_daily').select((eb) => eb.fn.min('day').as('day')).executeTakeFirst();
    return (row?.day as string | null | undefined) ?? null;
  }

  /** Today's per-check roll-up rows (what `refreshCheckRollup` wrote). */
  async checkRollup(day: string) {
    return this.db.selectFrom('rollup_check_daily').selectAll().where('day', '=', day).execute();
  }

  /**
   * Bulk-insert past daily roll-ups and level changes (an import, or the example organisation's
   * made-up history). Rows already there are left as they are.
   */
  async backfill(input: {
    entityTrack: { day: string; entity_ref: string; track_id: string; owner: string | null; level: string | null; level_index: number }[];
    checks: { day: string; check_id: string; owner: string; pass: number; fail: number; unknown: number; error: number; not_applicable: number; exempt: number }[];
    levelChanges: { entity_ref: string; track_id: string; level: string | null; previous_level: string | null; level_index: number; previous_level_index: number | null; at: Date }[];
  }): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      for (let i = 0; i < input.entityTrack.length; i += 2000) {
        await trx.insertInto('rollup_entity_track_daily').values(input.entityTrack.slice(i, i + 2000)).onConflict((oc) => oc.doNothing()).execute();
      }
      for (let i = 0; i < input.checks.length; i += 2000) {
        await trx.insertInto('rollup_check_daily').values(input.checks.slice(i, i + 2000)).onConflict((oc) => oc.doNothing()).execute();
      }
      for (let i = 0; i < input.levelChanges.length; i += 2000) {
        await trx.insertInto('level_history').values(input.levelChanges.slice(i, i + 2000)).execute();
      }
      for (const day of new Set(input.entityTrack.map((r) => r.day))) await this.#recountLevels(trx, day);
    });
  }

  async resultsFor(ref: string) {
    return this.db.selectFrom('results').selectAll().where('entity_ref', '=', ref).orderBy('check_id').execute();
  }

  async levelsFor(refs: string[]) {
    if (refs.length === 0) return [];
    return this.db.selectFrom('track_levels').selectAll().where('entity_ref', 'in', refs).execute();
  }

  async allLevels() {
    return this.db.selectFrom('track_levels').selectAll().orderBy('entity_ref').orderBy('track_id').execute();
  }

  async allResults() {
    return this.db.selectFrom('results').select(['entity_ref', 'check_id', 'outcome', 'message']).orderBy('entity_ref').orderBy('check_id').execute();
  }

  async levelHistory(ref: string, limit = 500) {
    return this.db.selectFrom('level_history').selectAll().where('entity_ref', '=', ref).orderBy('at', 'desc').limit(limit).execute();
  }

  async resultHistory(ref: string, limit = 500) {
    return this.db.selectFrom('result_history').selectAll().where('entity_ref', '=', ref).orderBy('at', 'desc').limit(limit).execute();
  }

  static outcomeColumn(outcome: Outcome) {
    return OUTCOME_COLUMN[outcome];
  }
}
