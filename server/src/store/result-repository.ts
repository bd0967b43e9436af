import { createHash } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { CheckResult, EntityEvaluation, Outcome } from '../engine/types.js';
import { type Database, sinceOf } from './database.js';

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
  /**
   * When the evaluations' inputs were read, by the database's clock (`ResultRepository.clock`,
   * taken before reading them). An entity whose stored evaluation was made from inputs read later
   * is left as it is.
   */
  inputsReadAt?: Date;
}

const CHUNK = 300;

export const utcDay = (d: Date) => d.toISOString().slice(0, 10);

/** The `owner` of the organisation-wide rows in `rollup_level_counts_daily` (no entity ref looks like it). */
export const ORG_WIDE = '*';

/**
 * One value for everything `save` stores of an evaluation (its results as JSON, its levels): equal
 * digests, nothing to write. Hashed natively: what a rescore that changes nothing spends its time on
 * besides evaluating.
 */
function resultsDigest(ev: EntityEvaluation, resultsJson: string, levelIndex: SaveContext['levelIndex']): string {
  let tracks = '';
  for (const t of ev.tracks) tracks += `${t.trackId}\u0001${t.level}\u0001${levelIndex(t.trackId, t.level)}\u0001${t.nextLevel}\u0001${t.missing.join('\u0002')}\n`;
  return createHash('sha1').update(resultsJson).update(tracks).digest('base64url');
}

/** Whether a result says the same as the one stored (outcome, message, values, exemption). */
function sameResult(a: CheckResult, b: CheckResult): boolean {
  return a.outcome === b.outcome && a.message === b.message && JSON.stringify(a.values) === JSON.stringify(b.values)
    && JSON.stringify(a.exemption ?? null) === JSON.stringify(b.exemption ?? null);
}

/** Outcomes that need attention: kept by check in `results_by_check` (passes and not-applicable are only in the entity's document). */
const ATTENTION = new Set(['fail', 'error', 'unknown', 'exempt']);

/** Rows as `json_to_recordset` reads them (short keys: a chunk's document is megabytes). */
interface HistoryRowJson { r: string; c: string; o: string; p: string; m: string }
interface AttentionRowJson { c: string; r: string; o: string; m: string; s: string; e: string | null }

/** Signed changes to the entities-per-check-and-outcome counts, summed before they are written. */
class CountDeltas {
  readonly #byCheck = new Map<string, Map<string, number>>();
  add(checkId: string, outcome: string, n: number): void {
    let outcomes = this.#byCheck.get(checkId);
    if (!outcomes) this.#byCheck.set(checkId, (outcomes = new Map()));
    outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + n);
  }
  rows(): { c: string; o: string; n: number }[] {
    const rows = [];
    for (const [c, outcomes] of this.#byCheck) for (const [o, n] of outcomes) if (n !== 0) rows.push({ c, o, n });
    return rows;
  }
}

/** Append count deltas (no row is updated, so concurrent saves never wait on each other). */
async function appendCounts(db: Kysely<Database>, deltas: CountDeltas): Promise<void> {
  const rows = deltas.rows();
  if (rows.length === 0) return;
  await sql`
    insert into check_outcome_counts (check_id, outcome, entities)
    select d.c, d.o, d.n from json_to_recordset(${JSON.stringify(rows)}::json) as d(c text, o text, n int)`.execute(db);
}

/**
 * Take a lock, held until the transaction ends, that serialises one kind of rewrite: what deletes a
 * day's rows and inserts them recounted. Two at once under read committed would both insert the
 * rows neither saw (a duplicate key), or the last would write counts without the other's change.
 */
async function takeTurn(trx: Kysely<Database>, what: 'level-counts' | 'check-rollup'): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`yardstick:${what}`}))`.execute(trx);
}

/** Every result stored in the evaluation rows `v`, as rows `r("checkId", outcome)`. */
const STORED_RESULTS = sql`entity_evaluations v cross join json_to_recordset(v.results->'results') as r("checkId" text, outcome text)`;

/**
 * Forget removed entities' results: their documents, their rows by check and their share of the
 * per-check counts. Called within the transaction that removes the entities.
 */
export async function forgetResults(db: Kysely<Database>, refs: string[]): Promise<void> {
  if (refs.length === 0) return;
  // Locked first, as a save locks them: a save of one of them that is under way finishes, and
  // the counts taken back are those of the document it left.
  await db.selectFrom('entity_evaluations').select('entity_ref').where('entity_ref', 'in', refs).orderBy('entity_ref').forUpdate().execute();
  await sql`
    insert into check_outcome_counts (check_id, outcome, entities)
    select r."checkId", r.outcome, -count(*)::int
    from ${STORED_RESULTS}
    where v.entity_ref = any(${refs}::text[]) and v.results is not null
    group by r."checkId", r.outcome`.execute(db);
  // By primary key: the documents say which checks need attention.
  await sql`
    delete from results_by_check b using ${STORED_RESULTS}
    where v.entity_ref = any(${refs}::text[]) and v.results is not null and b.check_id = r."checkId" and b.entity_ref = v.entity_ref`.execute(db);
  await db.deleteFrom('entity_evaluations').where('entity_ref', 'in', refs).execute();
}

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

/** A stored result as the API reads it. */
export interface StoredResultRow {
  entity_ref: string;
  check_id: string;
  outcome: Outcome;
  message: string;
  values: Record<string, unknown>;
  exemption: CheckResult['exemption'] | null;
  changed_at: Date;
}

export class ResultRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Store the latest results and levels; a history row is written only when an outcome or a level
   * changes. An entity whose results and levels come out exactly as stored (same digest) costs one
   * stamp: nothing of it is read back or rewritten. Today's roll-up per entity × track and the
   * owners' level counts follow unless `deferRollup` (a full rescore calls `refreshEntityRollup` once).
   * The live per-check counts always follow; a full rescore folds them and copies them into the
   * day's per-check roll-up (`foldCheckCounts`, `refreshCheckRollup`). Entities not in the catalog
   * are not saved, nor those whose stored evaluation was made from inputs read later (`inputsReadAt`).
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
        const batch = evaluations.slice(i, i + CHUNK);
        const refs = batch.map((e) => e.ref);
        const { fresh, storedDigest, toSave } = await this.#claim(trx, refs, now, ctx.inputsReadAt);
        const chunk = batch.filter((ev) => toSave.has(ev.ref));
        if (chunk.length === 0) continue;
        // Each entity's results serialised once: hashed for the digest, and (when changed) stored as they are.
        const resultsJson = chunk.map((ev) => JSON.stringify(ev.results));
        const digests = chunk.map((ev, k) => resultsDigest(ev, resultsJson[k], ctx.levelIndex));
        const changedChunk = chunk.filter((ev, k) => storedDigest.get(ev.ref) !== digests[k]);
        unchanged += chunk.length - changedChunk.length;
        const since = new Map<string, (string | null)[] | null>();
        // Grouped by definitions version (in practice one): history rows carry the version they were scored with.
        for (const group of groupBy(changedChunk, (ev) => ev.definitionsVersion)) {
          const counts = await this.#saveChanged(trx, group, { fresh, since }, ctx, now);
          outcomeChanges += counts.outcomeChanges;
          levelChanges += counts.levelChanges;
        }
        for (const ev of chunk) owners.add(ctx.ownerOf(ev.ref) ?? '');
        // One evaluation row per entity: when it was last scored, with which definitions, from what,
        // and (when they changed) its results document, sent as one text parameter each: PostgreSQL
        // reads each document once, as it stores it.
        await trx.insertInto('entity_evaluations')
          .values(chunk.map((ev, k) => {
            const times = since.get(ev.ref);
            const document = times === undefined ? null
              : `{"at":${JSON.stringify(now.toISOString())},${times ? `"since":${JSON.stringify(times)},` : ''}"results":${resultsJson[k]}}`;
            return {
              entity_ref: ev.ref, definitions_version: ev.definitionsVersion, evaluated_at: now,
              input_hash: ctx.inputHashOf?.(ev.ref) ?? null, results_hash: digests[k],
              inputs_read_at: ctx.inputsReadAt ?? null, results: document,
            };
          }))
          .onConflict((oc) => oc.column('entity_ref').doUpdateSet((eb) => ({
            definitions_version: eb.ref('excluded.definitions_version'), evaluated_at: eb.ref('excluded.evaluated_at'),
            input_hash: eb.ref('excluded.input_hash'), results_hash: eb.ref('excluded.results_hash'),
            inputs_read_at: eb.ref('excluded.inputs_read_at'), results: sql`coalesce(excluded.results, entity_evaluations.results)`,
          })))
          .execute();
      }
      if (!ctx.deferRollup) {
        await this.#rollUp(trx, day, { refs: evaluations.map((e) => e.ref), owners: [...owners] });
      }
    });
    return { outcomeChanges, levelChanges, unchanged };
  }

  /**
   * Take a batch of entities for saving. Saves of one entity take turns (an incremental rescore
   * from a webhook during a full one): the count deltas are worked out against the stored document,
   * so two saves must not both start from the same one. Each entity's evaluation row is created if
   * missing (`fresh`; filled by the save), then locked, in ref order, and its stored digest read.
   * Left out (`toSave`): an entity removed from the catalog while the save waited (its results and
   * its share of the counts went with it), and one whose stored evaluation was made from inputs read
   * after this one's (a fact push's rescore that read them after a full rescore did, and saved first):
   * every change of inputs is followed by a rescore that reads them afterwards, so the latest read wins.
   */
  async #claim(trx: Kysely<Database>, refs: string[], now: Date, inputsReadAt: Date | undefined) {
    const created = await sql<{ entity_ref: string }>`
      insert into entity_evaluations (entity_ref, definitions_version, evaluated_at)
      select r, '', ${now}::timestamptz from unnest(${[...refs].sort()}::text[]) as r
      on conflict (entity_ref) do nothing returning entity_ref`.execute(trx);
    const stored = await trx.selectFrom('entity_evaluations').select(['entity_ref', 'results_hash', 'inputs_read_at'])
      .where('entity_ref', 'in', refs).orderBy('entity_ref').forUpdate().execute();
    const toSave = new Set((await trx.selectFrom('entities').select('ref').where('ref', 'in', refs).execute()).map((r) => r.ref));
    const removed = refs.filter((ref) => !toSave.has(ref));
    if (removed.length > 0) await trx.deleteFrom('entity_evaluations').where('entity_ref', 'in', removed).where('results', 'is', null).execute();
    if (inputsReadAt) {
      for (const row of stored) if (row.inputs_read_at && (row.inputs_read_at as Date).getTime() > inputsReadAt.getTime()) toSave.delete(row.entity_ref);
    }
    return {
      fresh: new Set(created.rows.map((r) => r.entity_ref)),
      storedDigest: new Map(stored.map((r) => [r.entity_ref, r.results_hash])),
      toSave,
    };
  }

  /**
   * Results and levels of entities whose digest changed, diffed against what is stored: works out
   * since when each result holds (into `since`, null where all began now; the caller writes the
   * results with the evaluation stamp), and writes the history, the rows by check and the count deltas that changed.
   */
  async #saveChanged(
    trx: Kysely<Database>,
    chunk: EntityEvaluation[],
    known: { fresh: Set<string>; since: Map<string, (string | null)[] | null> },
    ctx: SaveContext,
    now: Date,
  ): Promise<{ outcomeChanges: number; levelChanges: number }> {
    const refs = chunk.map((e) => e.ref);
    // Only entities scored before have a document to diff against (an organisation's first scoring reads none).
    const scoredRefs = refs.filter((r) => !known.fresh.has(r));
    const [oldDocuments, oldLevels] = await Promise.all([
      scoredRefs.length === 0 ? [] : trx.selectFrom('entity_evaluations').select(['entity_ref', 'results'])
        .where('entity_ref', 'in', scoredRefs).where('results', 'is not', null).execute(),
      trx.selectFrom('track_levels').select(['entity_ref', 'track_id', 'level', 'level_index', 'next_level', 'missing', 'changed_at']).where('entity_ref', 'in', refs).execute(),
    ]);
    const prevDocument = new Map(oldDocuments.map((r) => [r.entity_ref, r.results!]));
    const prevLevel = new Map(oldLevels.map((r) => [`${r.entity_ref}\u0000${r.track_id}`, r]));

    // A result that keeps its outcome keeps the time it has held since; one that says the same as
    // before (outcome, message, values, exemption) touches nothing but the document.
    const nowIso = now.toISOString();
    const hist: HistoryRowJson[] = [];
    const attention: AttentionRowJson[] = [];
    const cleared: { c: string; r: string }[] = [];
    const deltas = new CountDeltas();
    for (const ev of chunk) {
      const stored = prevDocument.get(ev.ref);
      const prev = new Map<string, { result: CheckResult; since: string }>();
      if (stored) stored.results.forEach((result, k) => prev.set(result.checkId, { result, since: sinceOf(stored, k) }));
      // Since when each result holds: null for "now" (the document's `at`), so a first scoring stores no list.
      const times: (string | null)[] = [];
      let kept = false;
      for (const r of ev.results) {
        const before = prev.get(r.checkId);
        prev.delete(r.checkId);
        const was = before?.result.outcome;
        const keeps = before !== undefined && was === r.outcome;
        const since = keeps ? before.since : nowIso;
        times.push(keeps ? since : null);
        kept ||= keeps;
        if (before && sameResult(before.result, r)) continue;
        if (was !== r.outcome) {
          deltas.add(r.checkId, r.outcome, 1);
          if (was) deltas.add(r.checkId, was, -1);
        }
        // History holds changes: an entity's (or a new check's) first outcome is not one.
        if (was && was !== r.outcome) hist.push({ r: ev.ref, c: r.checkId, o: r.outcome, p: was, m: r.message });
        if (ATTENTION.has(r.outcome)) attention.push({ c: r.checkId, r: ev.ref, o: r.outcome, m: r.message, s: since, e: r.exemption?.expiresAt ?? null });
        else if (was && ATTENTION.has(was)) cleared.push({ c: r.checkId, r: ev.ref });
      }
      // Checks no longer evaluated (removed from the definitions) leave the entity's results.
      for (const { result: gone } of prev.values()) {
        deltas.add(gone.checkId, gone.outcome, -1);
        if (ATTENTION.has(gone.outcome)) cleared.push({ c: gone.checkId, r: ev.ref });
      }
      known.since.set(ev.ref, kept ? times : null);
    }
    const version = chunk[0].definitionsVersion;
    if (attention.length) {
      await sql`
        insert into results_by_check (check_id, entity_ref, outcome, message, changed_at, exemption_expires_at)
        select a.c, a.r, a.o, a.m, a.s, a.e
        from json_to_recordset(${JSON.stringify(attention)}::json) as a(c text, r text, o text, m text, s timestamptz, e timestamptz)
        on conflict (check_id, entity_ref) do update set outcome = excluded.outcome, message = excluded.message,
          changed_at = excluded.changed_at, exemption_expires_at = excluded.exemption_expires_at`.execute(trx);
    }
    if (cleared.length) {
      await sql`
        delete from results_by_check b using json_to_recordset(${JSON.stringify(cleared)}::json) as g(c text, r text)
        where b.check_id = g.c and b.entity_ref = g.r`.execute(trx);
    }
    if (hist.length) {
      await sql`
        insert into result_history (entity_ref, check_id, outcome, previous_outcome, message, definitions_version, at)
        select h.r, h.c, h.o, h.p, h.m, ${version}, ${now}::timestamptz
        from json_to_recordset(${JSON.stringify(hist)}::json) as h(r text, c text, o text, p text, m text)`.execute(trx);
    }
    await appendCounts(trx, deltas);

    const levelRows: { r: string; t: string; l: string | null; i: number; n: string | null; m: string[]; s: string }[] = [];
    const levelHistory: { r: string; t: string; l: string | null; p: string | null; i: number; q: number | null }[] = [];
    for (const ev of chunk) {
      for (const t of ev.tracks) {
        const idx = ctx.levelIndex(t.trackId, t.level);
        const prev = prevLevel.get(`${ev.ref}\u0000${t.trackId}`);
        const changed = !prev || prev.level !== t.level;
        if (changed) levelHistory.push({ r: ev.ref, t: t.trackId, l: t.level, p: prev?.level ?? null, i: idx, q: prev ? prev.level_index : null });
        if (changed || prev.level_index !== idx || prev.next_level !== t.nextLevel || JSON.stringify(prev.missing) !== JSON.stringify(t.missing)) {
          levelRows.push({
            r: ev.ref, t: t.trackId, l: t.level, i: idx, n: t.nextLevel, m: t.missing,
            s: changed ? nowIso : (prev!.changed_at as Date).toISOString(),
          });
        }
      }
    }
    if (levelRows.length) {
      await sql`
        insert into track_levels (entity_ref, track_id, level, level_index, next_level, missing, definitions_version, evaluated_at, changed_at)
        select l.r, l.t, l.l, l.i, l.n, l.m, ${version}, ${now}::timestamptz, l.s
        from json_to_recordset(${JSON.stringify(levelRows)}::json) as l(r text, t text, l text, i int, n text, m jsonb, s timestamptz)
        on conflict (entity_ref, track_id) do update set level = excluded.level, level_index = excluded.level_index,
          next_level = excluded.next_level, missing = excluded.missing, definitions_version = excluded.definitions_version,
          evaluated_at = excluded.evaluated_at, changed_at = excluded.changed_at`.execute(trx);
    }
    if (levelHistory.length) {
      await sql`
        insert into level_history (entity_ref, track_id, level, previous_level, level_index, previous_level_index, at)
        select h.r, h.t, h.l, h.p, h.i, h.q, ${now}::timestamptz
        from json_to_recordset(${JSON.stringify(levelHistory)}::json) as h(r text, t text, l text, p text, i int, q int)`.execute(trx);
    }
    return { outcomeChanges: hist.length, levelChanges: levelHistory.length };
  }

  /**
   * Bring the day's per-entity × track roll-up in line with the stored levels and owners, then
   * recount the day's level counts: what a full rescore calls once instead of upserting per page.
   */
  async refreshEntityRollup(day = utcDay(new Date())): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await this.#rollUp(trx, day);
    });
  }

  /**
   * The day's roll-up rows and level counts, of every entity and owner or of those given. Roll-ups
   * are written one transaction after another (every save recounts the organisation's counts), each
   * reading the levels as the last one left them. Otherwise two saves on a new day would both insert
   * the count rows neither saw, and a full rescore's refresh that read the levels before a save's
   * commit would write that entity's rows back to its old level once the save let go of them.
   */
  async #rollUp(trx: Kysely<Database>, day: string, only?: { refs: string[]; owners: string[] }): Promise<void> {
    await takeTurn(trx, 'level-counts');
    await this.#rollUpEntities(trx, day, only?.refs);
    await this.#recountLevels(trx, day, only?.owners);
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

  /** The database's clock: what `SaveContext.inputsReadAt` is taken from, one clock for every process. */
  async clock(): Promise<Date> {
    const { rows } = await sql<{ t: Date }>`select clock_timestamp() as t`.execute(this.db);
    return new Date(rows[0].t);
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
   * Recount the per-check counts from the results documents and put them right where they differ
   * from the deltas (the daily maintenance calls it: they should never drift, and this says so if
   * they did). One statement reads both in one snapshot, where every save's document and deltas
   * are both there or both not; the corrections are appended as deltas, so saves need not wait.
   * Returns the check and outcome pairs that differed, with the counts found and kept.
   */
  async reconcileCheckCounts(): Promise<{ checkId: string; outcome: string; counted: number; kept: number }[]> {
    const { rows } = await sql<{ check_id: string; outcome: string; counted: number; kept: number }>`
      with counted as (
        select r."checkId" as check_id, r.outcome, count(*)::int as n
        from ${STORED_RESULTS}
        where v.results is not null group by 1, 2
      ), kept as (
        select check_id, outcome, sum(entities)::int as n from check_outcome_counts group by 1, 2
      ), drift as (
        select check_id, outcome, coalesce(c.n, 0) as counted, coalesce(k.n, 0) as kept
        from counted c full join kept k using (check_id, outcome)
        where coalesce(c.n, 0) <> coalesce(k.n, 0)
      ), fixed as (
        insert into check_outcome_counts (check_id, outcome, entities) select check_id, outcome, counted - kept from drift
      )
      select * from drift order by check_id, outcome`.execute(this.db);
    return rows.map((r) => ({ checkId: r.check_id, outcome: r.outcome, counted: Number(r.counted), kept: Number(r.kept) }));
  }

  /**
   * Write the day's per-check outcome totals (organisation-wide rows, owner '*') from the live
   * counts: what the check trends and "most failing checks" read. A few hundred rows, rewritten
   * after every full rescore. (Per-team views of checks come from the levels' missing checks.)
   */
  async refreshCheckRollup(day = utcDay(new Date())): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await takeTurn(trx, 'check-rollup');
      await trx.deleteFrom('rollup_check_daily').where('day', '=', day).execute();
      await sql`
        insert into rollup_check_daily (day, check_id, owner, pass, fail, unknown, error, not_applicable, exempt)
        select ${day}::date, check_id, ${ORG_WIDE},
          coalesce(sum(entities) filter (where outcome = 'pass'), 0), coalesce(sum(entities) filter (where outcome = 'fail'), 0),
          coalesce(sum(entities) filter (where outcome = 'unknown'), 0), coalesce(sum(entities) filter (where outcome = 'error'), 0),
          coalesce(sum(entities) filter (where outcome = 'not-applicable'), 0), coalesce(sum(entities) filter (where outcome = 'exempt'), 0)
        from check_outcome_counts group by check_id having sum(entities) <> 0`.execute(trx);
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
      await takeTurn(trx, 'level-counts');
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

  /** An entity's latest results, by check id. */
  async resultsFor(ref: string): Promise<StoredResultRow[]> {
    const row = await this.db.selectFrom('entity_evaluations').select('results').where('entity_ref', '=', ref).executeTakeFirst();
    const stored = row?.results;
    if (!stored) return [];
    return stored.results
      .map((r, k) => ({
        entity_ref: ref, check_id: r.checkId, outcome: r.outcome, message: r.message, values: r.values ?? {},
        exemption: r.exemption ?? null, changed_at: new Date(sinceOf(stored, k)),
      }))
      .sort((a, b) => (a.check_id < b.check_id ? -1 : a.check_id > b.check_id ? 1 : 0));
  }

  /**
   * Fold the per-check count deltas into one row per check and outcome (what a full rescore calls
   * at its end). One statement: deltas appended meanwhile by other saves are kept as they are.
   */
  async foldCheckCounts(): Promise<void> {
    await sql`
      with d as (delete from check_outcome_counts returning check_id, outcome, entities)
      insert into check_outcome_counts (check_id, outcome, entities)
      select check_id, outcome, sum(entities)::int from d group by check_id, outcome having sum(entities) <> 0`.execute(this.db);
  }

  async levelsFor(refs: string[]) {
    if (refs.length === 0) return [];
    return this.db.selectFrom('track_levels').selectAll().where('entity_ref', 'in', refs).execute();
  }

  async allLevels() {
    return this.db.selectFrom('track_levels').selectAll().orderBy('entity_ref').orderBy('track_id').execute();
  }

  async levelHistory(ref: string, limit = 500) {
    return this.db.selectFrom('level_history').selectAll().where('entity_ref', '=', ref).orderBy('at', 'desc').limit(limit).execute();
  }

  async resultHistory(ref: string, limit = 500) {
    return this.db.selectFrom('result_history').selectAll().where('entity_ref', '=', ref).orderBy('at', 'desc').limit(limit).execute();
  }
}
