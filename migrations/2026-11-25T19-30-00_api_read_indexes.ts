// Indexes for the API's aggregate reads (dashboard charts at 10,000 components x 365 days).
// Frozen in time: never import application code here.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // Overview / track history: group a day range by track and level without touching the heap.
  await sql`create index rollup_etd_day_track_level_idx on rollup_entity_track_daily (day, track_id, level_index)`.execute(db);
  // Team trend: one owner's day range, grouped by track and level.
  await sql`create index rollup_etd_owner_day_track_level_idx on rollup_entity_track_daily (owner, day, track_id, level_index)`.execute(db);
  // Entity history: one entity's daily series.
  await sql`create index rollup_etd_entity_day_idx on rollup_entity_track_daily (entity_ref, day)`.execute(db);
  // Check history: one check's day range (the primary key starts with day).
  await sql`create index rollup_check_daily_check_day_idx on rollup_check_daily (check_id, day)`.execute(db);
  // Level ups/downs of the last days.
  await sql`create index level_history_at_track_idx on level_history (at, track_id)`.execute(db);
  // Entity search by kind and owner.
  await sql`create index entities_kind_owner_idx on entities (kind, owner)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const name of [
    'entities_kind_owner_idx', 'level_history_at_track_idx', 'rollup_check_daily_check_day_idx',
    'rollup_etd_entity_day_idx', 'rollup_etd_owner_day_track_level_idx', 'rollup_etd_day_track_level_idx',
  ]) {
    await sql`drop index if exists ${sql.id(name)}`.execute(db);
  }
}
