// An entity's latest results are stored as one document on its evaluation row instead of one row
// per check. Results are read an entity at a time (scorecard, gate); only the check pages ask
// across entities, and they ask for the results that need attention, not the passes. An
// organisation's first scoring (10,000 entities × 200 checks) wrote 2 M rows into two B-tree
// indexes: PostgreSQL alone needed ~8 s of one core for that. The same results as 10,000 documents
// take ~1.4 s, and 30 MB on disk instead of ~660 MB.
// - entity_evaluations.results: the entity's results as one JSON document (see StoredResults in the store);
// - results_by_check: the results that need attention (fail, error, unknown, exempt), by check: the
//   check page's list, and the exemptions that have run out;
// - check_outcome_counts: how many entities hold each outcome of each check, as signed deltas that
//   saves append (no row is updated, so concurrent saves never wait on each other) and a full
//   rescore folds into one row per check and outcome. The day's per-check roll-up is copied from
//   them, organisation-wide (owner '*': no reader asks for a team's per-check totals), so
//   rollup_state (what the last recount of 2 M results was computed from) goes.
// Frozen in time: never import app code.
import { type Kysely, sql } from 'kysely';

const ATTENTION = `('fail', 'error', 'unknown', 'exempt')`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('entity_evaluations').addColumn('results', 'json').execute();
  await db.schema
    .createTable('results_by_check')
    .addColumn('check_id', 'text', (c) => c.notNull())
    .addColumn('entity_ref', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('changed_at', 'timestamptz', (c) => c.notNull())
    .addColumn('exemption_expires_at', 'timestamptz')
    .addPrimaryKeyConstraint('results_by_check_pk', ['check_id', 'entity_ref'])
    .execute();
  await sql`create index results_by_check_expiry_idx on results_by_check (exemption_expires_at) where outcome = 'exempt'`.execute(db);
  await db.schema
    .createTable('check_outcome_counts')
    .addColumn('check_id', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('entities', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('check_outcome_counts_check_idx').on('check_outcome_counts').column('check_id').execute();
  // lz4 where the server has it (it compresses results documents about twice as fast as pglz); PGlite has pglz only.
  await sql`
    do $$ begin
      if exists (select 1 from pg_settings where name = 'default_toast_compression' and 'lz4' = any(enumvals)) then
        alter table entity_evaluations alter column results set compression lz4;
      end if;
    end $$`.execute(db);

  // Evaluation rows of entities removed from the catalog (removal used to leave them behind), and
  // any result without an evaluation row: documents, rows by check and counts hold the same results.
  await sql`delete from entity_evaluations v where not exists (select 1 from entities e where e.ref = v.entity_ref)`.execute(db);
  await sql`delete from results r where not exists (select 1 from entity_evaluations v where v.entity_ref = r.entity_ref)`.execute(db);
  // The engine's results as they came (exemption only where one applied), when they were written,
  // and since when each holds.
  await sql`
    update entity_evaluations v set results = d.doc
    from (
      select entity_ref, json_build_object(
        'at', to_json(max(evaluated_at)),
        'since', json_agg(to_json(changed_at) order by check_id),
        'results', json_agg(case when exemption is null
          then json_build_object('checkId', check_id, 'outcome', outcome, 'message', message, 'values', values)
          else json_build_object('checkId', check_id, 'outcome', outcome, 'message', message, 'values', values, 'exemption', exemption) end
          order by check_id)
      ) as doc
      from results group by entity_ref
    ) d where d.entity_ref = v.entity_ref`.execute(db);
  await sql.raw(`
    insert into results_by_check (check_id, entity_ref, outcome, message, changed_at, exemption_expires_at)
    select check_id, entity_ref, outcome, message, changed_at, (exemption->>'expiresAt')::timestamptz
    from results where outcome in ${ATTENTION}`).execute(db);
  await sql`insert into check_outcome_counts (check_id, outcome, entities) select check_id, outcome, count(*)::int from results group by check_id, outcome`.execute(db);
  await db.schema.dropTable('results').execute();
  await db.schema.dropTable('rollup_state').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('rollup_state')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('signature', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('results')
    .addColumn('entity_ref', 'text', (c) => c.notNull())
    .addColumn('check_id', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('values', 'json', (c) => c.notNull())
    .addColumn('exemption', 'json')
    .addColumn('definitions_version', 'text', (c) => c.notNull())
    .addColumn('evaluated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('changed_at', 'timestamptz', (c) => c.notNull())
    .addColumn('hash', 'text')
    .addPrimaryKeyConstraint('results_pk', ['entity_ref', 'check_id'])
    .execute();
  await db.schema.createIndex('results_check_idx').on('results').columns(['check_id', 'outcome']).execute();
  await sql`
    insert into results (entity_ref, check_id, outcome, message, values, exemption, definitions_version, evaluated_at, changed_at, hash)
    select v.entity_ref, r.value->>'checkId', r.value->>'outcome', r.value->>'message', coalesce(r.value->'values', '{}'::json), r.value->'exemption',
      v.definitions_version, v.evaluated_at, coalesce(v.results->'since'->>(r.ordinality::int - 1), v.results->>'at')::timestamptz, null
    from entity_evaluations v cross join json_array_elements(v.results->'results') with ordinality r
    where v.results is not null`.execute(db);
  await db.schema.dropTable('check_outcome_counts').execute();
  await db.schema.dropTable('results_by_check').execute();
  await db.schema.alterTable('entity_evaluations').dropColumn('results').execute();
}
