// A digest of each entity's stored results and levels: a rescore whose results come out the same
// (a new day, a definitions reload that changes no outcome) compares one value per entity instead
// of reading back its results row by row. Outcome history records changes only, with the outcome
// before: an entity's first results are not changes (results.changed_at says since when each holds).
// The per-entity daily roll-up loses four indexes no query uses since the overview and team trends
// read the pre-counted rollup_level_counts_daily: a day's 50,000 rows cost a sixth of the index writes.
// results.values and results.exemption become json (kept as written) instead of jsonb: nothing
// queries inside them, and PostgreSQL takes json input in about half the time, which is most of
// an organisation's first full rescore (2 M rows).
// rollup_level_counts_daily gains organisation-wide rows (owner '*', the sum over teams) so the
// overview's daily series reads 20 rows a day instead of summing every team's.
// rollup_state remembers what a day's per-check totals were counted from, so a full rescore that
// changed no result skips recounting 2 M results.
// Frozen in time: never import app code.
import { type Kysely, sql } from 'kysely';

const UNUSED_ROLLUP_INDEXES = {
  rollup_etd_track_day_idx: '(track_id, day)',
  rollup_etd_owner_day_idx: '(owner, day)',
  rollup_etd_day_track_level_idx: '(day, track_id, level_index)',
  rollup_etd_owner_day_track_level_idx: '(owner, day, track_id, level_index)',
};

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('entity_evaluations').addColumn('results_hash', 'text').execute();
  await db.schema.alterTable('result_history').addColumn('previous_outcome', 'text').execute();
  for (const name of Object.keys(UNUSED_ROLLUP_INDEXES)) await db.schema.dropIndex(name).ifExists().execute();
  await sql`alter table results alter column values type json using values::json, alter column exemption type json using exemption::json`.execute(db);
  await sql`
    insert into rollup_level_counts_daily (day, track_id, owner, level_index, entities)
    select day, track_id, '*', level_index, sum(entities)::int from rollup_level_counts_daily
    group by day, track_id, level_index`.execute(db);
  await db.schema
    .createTable('rollup_state')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('signature', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('rollup_state').execute();
  await sql`delete from rollup_level_counts_daily where owner = '*'`.execute(db);
  await sql`alter table results alter column values type jsonb using values::jsonb, alter column exemption type jsonb using exemption::jsonb`.execute(db);
  for (const [name, columns] of Object.entries(UNUSED_ROLLUP_INDEXES)) {
    await sql.raw(`create index if not exists ${name} on rollup_entity_track_daily ${columns}`).execute(db);
  }
  await db.schema.alterTable('result_history').dropColumn('previous_outcome').execute();
  await db.schema.alterTable('entity_evaluations').dropColumn('results_hash').execute();
}
