// Pre-counted levels per day, track and owner (what the overview and team trend read, instead of
// grouping every entity × track × day), a content hash on results so unchanged results are not
// rewritten, and one evaluation stamp per entity. Frozen in time: never import application code here.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('rollup_level_counts_daily')
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('track_id', 'text', (c) => c.notNull())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('level_index', 'integer', (c) => c.notNull())
    .addColumn('entities', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('rollup_level_counts_daily_pk', ['day', 'track_id', 'owner', 'level_index'])
    .execute();
  await sql`create index rollup_lcd_owner_day_idx on rollup_level_counts_daily (owner, day)`.execute(db);
  await sql`
    insert into rollup_level_counts_daily (day, track_id, owner, level_index, entities)
    select day, track_id, coalesce(owner, ''), level_index, count(*)
    from rollup_entity_track_daily group by day, track_id, coalesce(owner, ''), level_index`.execute(db);

  await db.schema.alterTable('results').addColumn('hash', 'text').execute();

  await db.schema
    .createTable('entity_evaluations')
    .addColumn('entity_ref', 'text', (c) => c.primaryKey())
    .addColumn('definitions_version', 'text', (c) => c.notNull())
    .addColumn('evaluated_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await sql`
    insert into entity_evaluations (entity_ref, definitions_version, evaluated_at)
    select distinct on (entity_ref) entity_ref, definitions_version, evaluated_at
    from results order by entity_ref, evaluated_at desc`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('entity_evaluations').ifExists().execute();
  await db.schema.alterTable('results').dropColumn('hash').execute();
  await db.schema.dropTable('rollup_level_counts_daily').ifExists().execute();
}
