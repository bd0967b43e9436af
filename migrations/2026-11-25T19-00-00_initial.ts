// Initial schema. Frozen in time: never import application code here.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('entities')
    .addColumn('ref', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('namespace', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('title', 'text')
    .addColumn('owner', 'text')
    .addColumn('system', 'text')
    .addColumn('type', 'text')
    .addColumn('lifecycle', 'text')
    .addColumn('github_slug', 'text')
    .addColumn('descriptor', 'jsonb', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('entities_owner_idx').on('entities').column('owner').execute();
  await db.schema.createIndex('entities_github_slug_idx').on('entities').column('github_slug').execute();

  // Latest fact per entity, fact id and scope ('' = default branch; 'sha:<sha>' / 'pr:<n>' for pull requests).
  await db.schema
    .createTable('facts')
    .addColumn('entity_ref', 'text', (c) => c.notNull())
    .addColumn('fact_id', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('data', 'jsonb', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('collected_at', 'timestamptz', (c) => c.notNull())
    .addColumn('changed_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('last_error_at', 'timestamptz')
    .addPrimaryKeyConstraint('facts_pk', ['entity_ref', 'fact_id', 'scope'])
    .execute();

  // One row per change of data, never per collection.
  await db.schema
    .createTable('fact_history')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('entity_ref', 'text', (c) => c.notNull())
    .addColumn('fact_id', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('data', 'jsonb', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('collected_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('fact_history_entity_idx').on('fact_history').columns(['entity_ref', 'fact_id', 'collected_at']).execute();
  await db.schema.createIndex('fact_history_collected_idx').on('fact_history').column('collected_at').execute();

  await db.schema
    .createTable('results')
    .addColumn('entity_ref', 'text', (c) => c.notNull())
    .addColumn('check_id', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('values', 'jsonb', (c) => c.notNull())
    .addColumn('exemption', 'jsonb')
    .addColumn('definitions_version', 'text', (c) => c.notNull())
    .addColumn('evaluated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('changed_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('results_pk', ['entity_ref', 'check_id'])
    .execute();
  await db.schema.createIndex('results_check_idx').on('results').columns(['check_id', 'outcome']).execute();

  await db.schema
    .createTable('result_history')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('entity_ref', 'text', (c) => c.notNull())
    .addColumn('check_id', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('definitions_version', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('result_history_entity_idx').on('result_history').columns(['entity_ref', 'at']).execute();
  await db.schema.createIndex('result_history_check_idx').on('result_history').columns(['check_id', 'at']).execute();

  await db.schema
    .createTable('track_levels')
    .addColumn('entity_ref', 'text', (c) => c.notNull())
    .addColumn('track_id', 'text', (c) => c.notNull())
    .addColumn('level', 'text')
    .addColumn('level_index', 'integer', (c) => c.notNull())
    .addColumn('next_level', 'text')
    .addColumn('missing', 'jsonb', (c) => c.notNull())
    .addColumn('definitions_version', 'text', (c) => c.notNull())
    .addColumn('evaluated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('changed_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('track_levels_pk', ['entity_ref', 'track_id'])
    .execute();
  await db.schema.createIndex('track_levels_track_idx').on('track_levels').columns(['track_id', 'level_index']).execute();

  await db.schema
    .createTable('level_history')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('entity_ref', 'text', (c) => c.notNull())
    .addColumn('track_id', 'text', (c) => c.notNull())
    .addColumn('level', 'text')
    .addColumn('previous_level', 'text')
    .addColumn('level_index', 'integer', (c) => c.notNull())
    .addColumn('previous_level_index', 'integer')
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('level_history_entity_idx').on('level_history').columns(['entity_ref', 'track_id', 'at']).execute();
  await db.schema.createIndex('level_history_at_idx').on('level_history').column('at').execute();

  // Daily roll-ups: what the charts read, so they never scan history.
  await db.schema
    .createTable('rollup_entity_track_daily')
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('entity_ref', 'text', (c) => c.notNull())
    .addColumn('track_id', 'text', (c) => c.notNull())
    .addColumn('owner', 'text')
    .addColumn('level', 'text')
    .addColumn('level_index', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('rollup_entity_track_daily_pk', ['day', 'entity_ref', 'track_id'])
    .execute();
  await db.schema.createIndex('rollup_etd_track_day_idx').on('rollup_entity_track_daily').columns(['track_id', 'day']).execute();
  await db.schema.createIndex('rollup_etd_owner_day_idx').on('rollup_entity_track_daily').columns(['owner', 'day']).execute();

  await db.schema
    .createTable('rollup_check_daily')
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('check_id', 'text', (c) => c.notNull())
    .addColumn('owner', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('pass', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('fail', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('unknown', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('not_applicable', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('exempt', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('rollup_check_daily_pk', ['day', 'check_id', 'owner'])
    .execute();

  await db.schema
    .createTable('exemptions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('entity_ref', 'text', (c) => c.notNull())
    .addColumn('check_id', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('author', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('revoked_by', 'text')
    .execute();
  await db.schema.createIndex('exemptions_entity_idx').on('exemptions').columns(['entity_ref', 'check_id']).execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('details', 'jsonb', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull().unique())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('repos', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_used_at', 'timestamptz')
    .addColumn('revoked_at', 'timestamptz')
    .execute();

  // Collection jobs, claimed with FOR UPDATE SKIP LOCKED and a lease.
  await db.schema
    .createTable('jobs')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('dedupe_key', 'text')
    .addColumn('payload', 'jsonb', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('queued'))
    .addColumn('run_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('max_attempts', 'integer', (c) => c.notNull().defaultTo(5))
    .addColumn('lease_until', 'timestamptz')
    .addColumn('locked_by', 'text')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('finished_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('jobs_claim_idx').on('jobs').columns(['status', 'run_at']).execute();
  await sql`create unique index jobs_dedupe_idx on jobs (dedupe_key) where status in ('queued', 'running')`.execute(db);

  // HTTP cache for collectors (GitHub ETags and the bodies they validate).
  await db.schema
    .createTable('http_cache')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'jsonb', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('gate_verdicts')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('repo', 'text')
    .addColumn('sha', 'text', (c) => c.notNull())
    .addColumn('pull_request', 'integer')
    .addColumn('passed', 'boolean', (c) => c.notNull())
    .addColumn('definitions_version', 'text', (c) => c.notNull())
    .addColumn('verdict', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('gate_verdicts_sha_idx').on('gate_verdicts').columns(['repo', 'sha']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'gate_verdicts', 'http_cache', 'jobs', 'api_tokens', 'audit_log', 'exemptions', 'rollup_check_daily',
    'rollup_entity_track_daily', 'level_history', 'track_levels', 'result_history', 'results', 'fact_history',
    'facts', 'entities',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
