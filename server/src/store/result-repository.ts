import { createHash } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { EntityEvaluation, Outcome } from '../engine/types.js';
import type { Database } from './database.js';

/** Context needed to store evaluations: who owns each entity (for team roll-ups) and level order per track. */
export interface SaveContext {
  ownerOf: (ref: string) => string | null;
  /** Index of a level in its track (0 = first level), -1 for none. */
  levelIndex: (trackId: string, level: string | null) => number;
  now?: Date;
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

/** The `owner` of the organisation-wide rows in `rollup_level_counts_daily` (no entity ref looks like it). */
export const ORG_WIDE = '*';

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

/** A result as `results.save` hashes it: outcome, message, values and exemption as one text. */
function resultText(r: EntityEvaluation['results'][number]): string {
  let text = `${r.outcome}\u0001${r.message}\u0001`;
  const values = r.values ?? {};
  for (const key in values) text += `${key}\u0002${typedText(values[key])}\u0002`;
  if (r.exemption) text += `\u0003${r.exemption.reason}\u0003${r.exemption.author}\u0003${r.exemption.expiresAt}`;
  return text;
}

/**
 * One value for everything `save` stores of an evaluation (every result's text, levels): equal
 * digests, nothing to write. Hashed natively: what a rescore that changes nothing spends its time on
 * besides evaluating.
 */
function resultsDigest(ev: EntityEvaluation, texts: string[], levelIndex: SaveContext['levelIndex']): string {
  let text = '';
  for (let k = 0; k < ev.results.length; k++) text += `${ev.results[k].checkId}\u0001${texts[k]}\n`;
  for (const t of ev.tracks) text += `${t.trackId}\u0001${t.level}\u0001${levelIndex(t.trackId, t.level)}\u0001${t.nextLevel}\u0001${t.missing.join('\u0002')}\n`;
  return createHash('sha1').update(text).digest('base64url');
}

/** A result row as `json_to_recordset` reads it (short keys: this document is megabytes per chunk). */
interface ResultRowJson { r: string; c: string; o: string; m: string; v: Record<string, unknown>; x: unknown; h: string }
interface HistoryRowJson { r: string; c: string; o: string; p: string; m: string }

function groupBy<T>(items: T[], key: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const g = groups.get(k);
    if (g) g.push(item);
    else groups.set(k, [item]);
  }
  return [...groups.values()];
}

/** A value as text that tells its type too (1, "1" and true differ); strings escaped, so no separator hides in one. */
function typedText(v: unknown): string {
  switch (typeof v) {
    case 'number': return `n${v}`;
    case 'boolean': return v ? 't' : 'f';
    default: return v === null ? 'z' : JSON.stringify(v);
  }
}

export class ResultRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Store the latest results and levels; a history row is written only when an outcome or a level
   * changes. An entity whose results and levels come out exactly as stored (same digest) costs one
   * stamp: nothing of it is read back or rewritten. Today's roll-up per entity × track and the
   * owners' level counts follow unless `deferRollup` (a full rescore calls `refreshEntityRollup` once);
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
        const texts = new Map(chunk.map((ev) => [ev.ref, ev.results.map(resultText)]));
        const digests = chunk.map((ev) => resultsDigest(ev, texts.get(ev.ref)!, ctx.levelIndex));
        const stored = await trx.selectFrom('entity_evaluations').select(['entity_ref', 'results_hash']).where('entity_ref', 'in', refs).execute();
        const storedDigest = new Map(stored.map((r) => [r.entity_ref, r.results_hash]));
        const changedChunk = chunk.filter((ev, k) => storedDigest.get(ev.ref) !== digests[k]);
        unchanged += chunk.length - changedChunk.length;
        // Grouped by definitions version (in practice one): a result row carries the version it was scored with.
        for (const group of groupBy(changedChunk, (ev) => ev.definitionsVersion)) {
          const counts = await this.#saveChanged(trx, group, texts, ctx, now);
          outcomeChanges += counts.outcomeChanges;
          levelChanges += counts.levelChanges;
        }
        for (const ev of chunk) owners.add(ctx.ownerOf(ev.ref) ?? '');
        // One evaluation stamp per entity: when it was last scored, with which definitions, from what.
        await sql`
          insert into entity_evaluations (entity_ref, definitions_version, evaluated_at, input_hash, results_hash)
          select e.ref, e.version, ${now}::timestamptz, e.input_hash, e.results_hash
          from unnest(${refs}::text[], ${chunk.map((e) => e.definitionsVersion)}::text[], ${refs.map((r) => ctx.inputHashOf?.(r) ?? null)}::text[],
            ${digests}::text[]) as e(ref, version, input_hash, results_hash)
          on conflict (entity_ref) do update set definitions_version = excluded.definitions_version, evaluated_at = excluded.evaluated_at,
            input_hash = excluded.input_hash, results_hash = excluded.results_hash`.execute(trx);
      }
      if (!ctx.deferRollup) {
        await this.#rollUpEntities(trx, day, evaluations.map((e) => e.ref));
        await this.#recountLevels(trx, day, [...owners]);
      }
    });
    return { outcomeChanges, levelChanges, unchanged };
  }

  /** Results and levels of entities whose digest changed: diffed row by row against what is stored. */
  async #saveChanged(trx: Kysely<Database>, chunk: EntityEvaluation[], texts: Map<string, string[]>, ctx: SaveContext, now: Date): Promise<{ outcomeChanges: number; levelChanges: number }> {
    const refs = chunk.map((e) => e.ref);
    const [oldResults, oldLevels] = await Promise.all([
      trx.selectFrom('results').select(['entity_ref', 'check_id', 'outcome', 'hash']).where('entity_ref', 'in', refs).execute(),
      trx.selectFrom('track_levels').select(['entity_ref', 'track_id', 'level', 'level_index', 'next_level', 'missing', 'changed_at']).where('entity_ref', 'in', refs).execute(),
    ]);
    const prevResults = new Map<string, Map<string, { outcome: string; hash: string | null }>>();
    for (const r of oldResults) {
      let m = prevResults.get(r.entity_ref);
      if (!m) prevResults.set(r.entity_ref, (m = new Map()));
      m.set(r.check_id, r);
    }
    const prevLevel = new Map(oldLevels.map((r) => [`${r.entity_ref}\u0000${r.track_id}`, r]));

    // Rows go to PostgreSQL as one JSON document per statement (json_to_recordset): one parameter
    // whatever the row count, serialised natively. (A multi-row VALUES list hits the 65,535-parameter
    // limit at ~7,000 rows; unnest() of column arrays spent more time escaping array literals than
    // PostgreSQL spent writing.) Only results whose content changed are written; a result that keeps
    // its outcome keeps its changed_at.
    const rows: ResultRowJson[] = [];
    const hist: HistoryRowJson[] = [];
    const stale: { ref: string; ids: string[] }[] = [];
    for (const ev of chunk) {
      const prev = prevResults.get(ev.ref);
      const evTexts = texts.get(ev.ref)!;
      for (let k = 0; k < ev.results.length; k++) {
        const r = ev.results[k];
        const before = prev?.get(r.checkId);
        const hash = contentHash(evTexts[k]);
        if (before && before.hash === hash) continue;
        // History holds changes: an entity's (or a new check's) first outcome is not one.
        if (before && before.outcome !== r.outcome) hist.push({ r: ev.ref, c: r.checkId, o: r.outcome, p: before.outcome, m: r.message });
        rows.push({ r: ev.ref, c: r.checkId, o: r.outcome, m: r.message, v: r.values ?? {}, x: r.exemption ?? null, h: hash });
      }
      // Checks no longer evaluated (removed from the definitions) leave the latest results.
      if (prev && prev.size > 0) {
        const ids = ev.results.map((r) => r.checkId);
        const current = new Set(ids);
        if ([...prev.keys()].some((id) => !current.has(id))) stale.push({ ref: ev.ref, ids });
      }
    }
    const version = chunk[0].definitionsVersion;
    if (rows.length) {
      await sql`
        insert into results as cur (entity_ref, check_id, outcome, message, values, exemption, definitions_version, evaluated_at, changed_at, hash)
        select r.r, r.c, r.o, r.m, r.v, r.x, ${version}, ${now}::timestamptz, ${now}::timestamptz, r.h
        from json_to_recordset(${JSON.stringify(rows)}::json) as r(r text, c text, o text, m text, v json, x json, h text)
        on conflict (entity_ref, check_id) do update set
          outcome = excluded.outcome, message = excluded.message, values = excluded.values, exemption = excluded.exemption,
          definitions_version = excluded.definitions_version, evaluated_at = excluded.evaluated_at,
          changed_at = case when cur.outcome = excluded.outcome then cur.changed_at else excluded.changed_at end,
          hash = excluded.hash`.execute(trx);
    }
    if (hist.length) {
      await sql`
        insert into result_history (entity_ref, check_id, outcome, previous_outcome, message, definitions_version, at)
        select h.r, h.c, h.o, h.p, h.m, ${version}, ${now}::timestamptz
        from json_to_recordset(${JSON.stringify(hist)}::json) as h(r text, c text, o text, p text, m text)`.execute(trx);
    }
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
    return { outcomeChanges: hist.length, levelChanges: levelHistory.length };
  }

  /**
   * Bring the day's per-entity × track roll-up in line with the stored levels and owners, then
   * recount the day's level counts: what a full rescore calls once instead of upserting per page.
   */
  async refreshEntityRollup(day = utcDay(new Date())): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await this.#rollUpEntities(trx, day);
      await this.#recountLevels(trx, day);
    });
  }

  /**
   * The day's per-entity × track roll-up rows from `track_levels` and the entities' owners (all
   * entities, or those given), in set-based statements: rows that already agree are left alone, and
   * the day's rows of tracks an entity no longer has are removed.
   */
  async #rollUpEntities(db: Kysely<Database>, day: string, refs?: string[]): Promise<void> {
    const only = (column: ReturnType<typeof sql.ref>) => (refs ? sql`and ${column} = any(${refs}::text[])` : sql``);
    await sql`
      insert into rollup_entity_track_daily (day, entity_ref, track_id, owner, level, level_index)
      select ${day}::date, l.entity_ref, l.track_id, e.owner, l.level, l.level_index
      from track_levels l join entities e on e.ref = l.entity_ref
      where true ${only(sql.ref('l.entity_ref'))}
      on conflict (day, entity_ref, track_id) do update set owner = excluded.owner, level = excluded.level, level_index = excluded.level_index
      where (rollup_entity_track_daily.owner, rollup_entity_track_daily.level, rollup_entity_track_daily.level_index)
        is distinct from (excluded.owner, excluded.level, excluded.level_index)`.execute(db);
    await sql`
      delete from rollup_entity_track_daily r where r.day = ${day}::date ${only(sql.ref('r.entity_ref'))}
        and not exists (select 1 from track_levels l where l.entity_ref = r.entity_ref and l.track_id = r.track_id)`.execute(db);
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
    // The organisation-wide counts (owner '*'), summed from the per-owner rows just written: the
    // overview's daily series reads 20 rows a day instead of summing 2,000.
    await sql`delete from rollup_level_counts_daily where day = ${day}::date and owner = ${ORG_WIDE}`.execute(db);
    await sql`
      insert into rollup_level_counts_daily (day, track_id, owner, level_index, entities)
      select day, track_id, ${ORG_WIDE}, level_index, sum(entities)::int
      from rollup_level_counts_daily where day = ${day}::date and owner <> ${ORG_WIDE}
      group by day, track_id, level_index`.execute(db);
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

  /**
   * Recount today's (or `day`'s) per-check outcome totals per owner from the latest results.
   * With `ifChanged`, only when the results or owners changed since the day's last count: the
   * signature is a hash over every entity's results digest and owner (10,000 short rows, not 2 M
   * results); on a new day with the same signature the last day's totals are carried over.
   * Returns whether the day's rows were (re)written.
   */
  async refreshCheckRollup(day = utcDay(new Date()), options: { ifChanged?: boolean } = {}): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const { rows } = await sql<{ signature: string | null }>`
        select md5(string_agg(e.ref || ' ' || coalesce(e.owner, '') || ' ' || coalesce(v.results_hash, '-'), ',' order by e.ref)) as signature
        from entities e left join entity_evaluations v on v.entity_ref = e.ref`.execute(trx);
      const signature = rows[0]?.signature ?? '';
      const last = options.ifChanged
        ? await trx.selectFrom('rollup_state').select(['day', 'signature']).where('name', '=', 'check').executeTakeFirst()
        : undefined;
      // Every save records a results digest, so a result written since the last count changes the signature.
      if (last && last.signature === signature && String(last.day) === day) return false;
      await trx.insertInto('rollup_state').values({ name: 'check', day, signature })
        .onConflict((oc) => oc.column('name').doUpdateSet({ day, signature })).execute();
      await trx.deleteFrom('rollup_check_daily').where('day', '=', day).execute();
      if (last && last.signature === signature) {
        // Nothing changed since an earlier day's count (a new day): carry its totals over.
        await sql`
          insert into rollup_check_daily (day, check_id, owner, pass, fail, unknown, error, not_applicable, exempt)
          select ${day}::date, check_id, owner, pass, fail, unknown, error, not_applicable, exempt
          from rollup_check_daily where day = ${String(last.day)}::date`.execute(trx);
        return true;
      }
      await sql`
        insert into rollup_check_daily (day, check_id, owner, pass, fail, unknown, error, not_applicable, exempt)
        select ${day}::date, r.check_id, coalesce(e.owner, ''),
          count(*) filter (where r.outcome = 'pass'), count(*) filter (where r.outcome = 'fail'),
          count(*) filter (where r.outcome = 'unknown'), count(*) filter (where r.outcome = 'error'),
          count(*) filter (where r.outcome = 'not-applicable'), count(*) filter (where r.outcome = 'exempt')
        from results r join entities e on e.ref = r.entity_ref
        group by r.check_id, coalesce(e.owner, '')`.execute(trx);
      return true;
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
