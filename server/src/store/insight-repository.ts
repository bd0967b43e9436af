import { type Kysely, sql } from 'kysely';
import type { Database, EntityRow } from './database.js';
import { ORG_WIDE } from './result-repository.js';

/** Filters of the entity search. `levelIndex` with `levelMode`: `atLeast` (default) or `exact`; -1 = no level. */
export interface EntitySearch {
  owner?: string;
  kind?: string;
  type?: string;
  lifecycle?: string;
  trackId?: string;
  levelIndex?: number;
  levelMode?: 'atLeast' | 'exact';
  /** Case-insensitive substring of the ref, title or owner. */
  q?: string;
  kinds?: string[];
  limit: number;
  offset: number;
}

/** Rows of a level distribution: how many entities sit at `levelIndex` (-1 = none) of a track. */
export interface LevelCountRow {
  trackId: string;
  levelIndex: number;
  count: number;
}

export interface DailyLevelCountRow extends LevelCountRow {
  day: string;
}

export interface OwnerLevelCountRow extends LevelCountRow {
  owner: string | null;
}

const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * Aggregate reads for the API and dashboard. "Now" figures read the latest tables (`track_levels`:
 * one row per entity × track; `results_by_check` and the live `check_outcome_counts`); charts over time group the
 * daily roll-ups, never the history tables, so they stay fast at 10,000 entities × 365 days.
 */
export class InsightRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** One page of entities matching the filters, and how many match in all. */
  async searchEntities(s: EntitySearch): Promise<{ total: number; rows: EntityRow[] }> {
    let q = this.db.selectFrom('entities as e');
    if (s.trackId !== undefined) {
      const { trackId, levelIndex, levelMode } = s;
      q = q.where((eb) => eb.exists(eb
        .selectFrom('track_levels as tl')
        .select(sql.lit(1).as('one'))
        .whereRef('tl.entity_ref', '=', 'e.ref')
        .where('tl.track_id', '=', trackId)
        .$if(levelIndex !== undefined, (sq) => sq.where('tl.level_index', levelMode === 'exact' ? '=' : '>=', levelIndex!))));
    }
    if (s.owner) q = q.where('e.owner', '=', s.owner);
    if (s.kind) q = q.where('e.kind', '=', s.kind.toLowerCase());
    if (s.kinds) q = q.where('e.kind', 'in', s.kinds);
    if (s.type) q = q.where('e.type', '=', s.type);
    if (s.lifecycle) q = q.where('e.lifecycle', '=', s.lifecycle);
    if (s.q) {
      const pattern = likePattern(s.q);
      q = q.where((eb) => eb.or([eb('e.ref', 'ilike', pattern), eb('e.title', 'ilike', pattern), eb('e.owner', 'ilike', pattern)]));
    }
    const [count, rows] = await Promise.all([
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      q.selectAll('e').orderBy('e.ref').limit(s.limit).offset(s.offset).execute(),
    ]);
    return { total: Number(count.n), rows };
  }

  /** Groups (teams), sorted by ref. */
  async groups(): Promise<EntityRow[]> {
    return this.db.selectFrom('entities').selectAll().where('kind', '=', 'group').orderBy('ref').execute();
  }

  /** Scored entities per owner. */
  async componentCounts(kinds: string[]): Promise<Map<string | null, number>> {
    const rows = await this.db
      .selectFrom('entities')
      .select(['owner', (eb) => eb.fn.countAll<number>().as('n')])
      .where('kind', 'in', kinds)
      .groupBy('owner')
      .execute();
    return new Map(rows.map((r) => [r.owner, Number(r.n)]));
  }

  /** Current level distribution per owner and track (optionally one owner). */
  async levelCountsByOwner(owner?: string): Promise<OwnerLevelCountRow[]> {
    let q = this.db
      .selectFrom('track_levels as tl')
      .innerJoin('entities as e', 'e.ref', 'tl.entity_ref')
      .select(['e.owner', 'tl.track_id', 'tl.level_index', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy(['e.owner', 'tl.track_id', 'tl.level_index']);
    if (owner !== undefined) q = q.where('e.owner', '=', owner);
    const rows = await q.execute();
    return rows.map((r) => ({ owner: r.owner, trackId: r.track_id, levelIndex: r.level_index, count: Number(r.n) }));
  }

  /** Current level distribution per track (optionally one track). */
  async levelCounts(trackId?: string): Promise<LevelCountRow[]> {
    let q = this.db
      .selectFrom('track_levels')
      .select(['track_id', 'level_index', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy(['track_id', 'level_index']);
    if (trackId !== undefined) q = q.where('track_id', '=', trackId);
    const rows = await q.execute();
    return rows.map((r) => ({ trackId: r.track_id, levelIndex: r.level_index, count: Number(r.n) }));
  }

  /** Current levels of every entity an owner owns (the team grid). */
  async levelsOfOwner(owner: string) {
    return this.db
      .selectFrom('track_levels as tl')
      .innerJoin('entities as e', 'e.ref', 'tl.entity_ref')
      .select(['tl.entity_ref', 'tl.track_id', 'tl.level', 'tl.level_index', 'tl.next_level', 'tl.missing'])
      .where('e.owner', '=', owner)
      .orderBy('tl.entity_ref')
      .orderBy('tl.track_id')
      .execute();
  }

  /**
   * Checks standing between entities and their next level, by how many entities they hold back
   * (optionally for one owner's entities), most blocking first.
   */
  async blockingChecks(owner?: string, limit = 50): Promise<{ checkId: string; trackId: string; count: number; refs: string[] }[]> {
    const rows = await sql<{ check_id: string; track_id: string; n: number; refs: string[] }>`
      select m.check_id, tl.track_id, count(*)::int as n, array_agg(tl.entity_ref order by tl.entity_ref) as refs
      from track_levels tl
      join entities e on e.ref = tl.entity_ref
      cross join lateral jsonb_array_elements_text(tl.missing) as m(check_id)
      where ${owner === undefined ? sql`true` : sql`e.owner = ${owner}`}
      group by m.check_id, tl.track_id
      order by n desc, m.check_id, tl.track_id
      limit ${limit}`.execute(this.db);
    return rows.rows.map((r) => ({ checkId: r.check_id, trackId: r.track_id, count: Number(r.n), refs: r.refs }));
  }

  /** Entities per day, track and level index since `sinceDay` (inclusive), from the pre-counted daily levels. */
  async dailyLevelCounts(options: { sinceDay: string; trackId?: string; owner?: string }): Promise<DailyLevelCountRow[]> {
    let q = this.db
      .selectFrom('rollup_level_counts_daily')
      .select(['day', 'track_id', 'level_index', (eb) => eb.fn.sum<number>('entities').as('n')])
      .where('day', '>=', options.sinceDay)
      .groupBy(['day', 'track_id', 'level_index'])
      .orderBy('day');
    if (options.trackId !== undefined) q = q.where('track_id', '=', options.trackId);
    // Without an owner: the organisation-wide rows, not a sum over every team's.
    q = q.where('owner', '=', options.owner === undefined ? ORG_WIDE : options.owner);
    const rows = await q.execute();
    return rows.map((r) => ({ day: String(r.day), trackId: r.track_id, levelIndex: r.level_index, count: Number(r.n) }));
  }

  /** One entity's daily levels since `sinceDay`, oldest first, at most `limit` points. */
  async entityDailyLevels(ref: string, sinceDay: string, limit: number) {
    const rows = await this.db
      .selectFrom('rollup_entity_track_daily')
      .select(['day', 'track_id', 'level', 'level_index'])
      .where('entity_ref', '=', ref)
      .where('day', '>=', sinceDay)
      .orderBy('day', 'desc')
      .orderBy('track_id')
      .limit(limit)
      .execute();
    return rows.reverse().map((r) => ({ day: String(r.day), trackId: r.track_id, level: r.level, levelIndex: r.level_index }));
  }

  /** Current entities per check and outcome (the count deltas summed). */
  async outcomeCounts(checkId?: string): Promise<{ checkId: string; outcome: string; count: number }[]> {
    let q = this.db
      .selectFrom('check_outcome_counts')
      .select(['check_id', 'outcome', (eb) => eb.fn.sum<number>('entities').as('n')])
      .groupBy(['check_id', 'outcome'])
      .having((eb) => eb.fn.sum('entities'), '>', 0);
    if (checkId !== undefined) q = q.where('check_id', '=', checkId);
    const rows = await q.execute();
    return rows.map((r) => ({ checkId: r.check_id, outcome: r.outcome, count: Number(r.n) }));
  }

  /** Entities whose latest outcome of a check is one of `outcomes` (those that need attention: fail, error, unknown, exempt), with their owner. */
  async entitiesWithOutcome(checkId: string, outcomes: ('fail' | 'error' | 'unknown' | 'exempt')[], limit = 500) {
    return this.db
      .selectFrom('results_by_check as r')
      .innerJoin('entities as e', 'e.ref', 'r.entity_ref')
      .select(['r.entity_ref', 'e.owner', 'r.outcome', 'r.message', 'r.changed_at'])
      .where('r.check_id', '=', checkId)
      .where('r.outcome', 'in', outcomes)
      .orderBy('r.entity_ref')
      .limit(limit)
      .execute();
  }

  /** A check's daily outcome totals (all owners summed) since `sinceDay`. */
  async checkDaily(checkId: string, sinceDay: string) {
    const rows = await this.db
      .selectFrom('rollup_check_daily')
      .select((eb) => [
        'day',
        eb.fn.sum<number>('pass').as('pass'),
        eb.fn.sum<number>('fail').as('fail'),
        eb.fn.sum<number>('unknown').as('unknown'),
        eb.fn.sum<number>('error').as('error'),
        eb.fn.sum<number>('not_applicable').as('not_applicable'),
        eb.fn.sum<number>('exempt').as('exempt'),
      ])
      .where('check_id', '=', checkId)
      .where('day', '>=', sinceDay)
      .groupBy('day')
      .orderBy('day')
      .execute();
    return rows.map((r) => ({
      day: String(r.day), pass: Number(r.pass), fail: Number(r.fail), unknown: Number(r.unknown),
      error: Number(r.error), notApplicable: Number(r.not_applicable), exempt: Number(r.exempt),
    }));
  }

  /**
   * Checks with the most failing entities, from the latest per-check roll-up (recounted after
   * every full rescore, so at most one sweep old) — a few thousand rows instead of every result.
   */
  async mostFailingChecks(limit = 10): Promise<{ checkId: string; count: number }[]> {
    const rows = await sql<{ check_id: string; n: number }>`
      select check_id, sum(fail)::int as n from rollup_check_daily
      where day = (select max(day) from rollup_check_daily)
      group by check_id having sum(fail) > 0
      order by n desc, check_id limit ${limit}`.execute(this.db);
    return rows.rows.map((r) => ({ checkId: r.check_id, count: Number(r.n) }));
  }

  /** Level moves since `since`: counts of ups and downs per track, and the latest moves. */
  async levelMoves(since: Date, limit = 50) {
    const [counts, recent] = await Promise.all([
      sql<{ track_id: string; ups: number; downs: number }>`
        select track_id,
          count(*) filter (where level_index > previous_level_index)::int as ups,
          count(*) filter (where level_index < previous_level_index)::int as downs
        from level_history
        where at >= ${since} and previous_level_index is not null
        group by track_id order by track_id`.execute(this.db),
      this.db
        .selectFrom('level_history')
        .select(['entity_ref', 'track_id', 'level', 'previous_level', 'level_index', 'previous_level_index', 'at'])
        .where('at', '>=', since)
        .where('previous_level_index', 'is not', null)
        .whereRef('level_index', '<>', 'previous_level_index')
        .orderBy('at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit)
        .execute(),
    ]);
    return {
      counts: counts.rows.map((r) => ({ trackId: r.track_id, ups: Number(r.ups), downs: Number(r.downs) })),
      recent,
    };
  }

  /** Entities holding an `exempt` result whose exemption has expired by `now`: their stored results are out of date. */
  async refsWithExpiredExemptions(now: Date, ref?: string): Promise<string[]> {
    const rows = await sql<{ entity_ref: string }>`
      select distinct entity_ref from results_by_check
      where outcome = 'exempt' and exemption_expires_at <= ${now}
        ${ref === undefined ? sql`` : sql`and entity_ref = ${ref}`}
      order by entity_ref`.execute(this.db);
    return rows.rows.map((r) => r.entity_ref);
  }

  /** Audit log, newest first. */
  async audit(options: { limit: number; action?: string }) {
    let q = this.db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(options.limit);
    if (options.action) q = q.where('action', 'like', `${options.action.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    return q.execute();
  }
}
