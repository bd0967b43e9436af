// A digest of each entity's stored results and levels: a rescore whose results come out the same
// (a new day, a definitions reload that changes no outcome) compares one value per entity instead
// of reading back its results row by row. Outcome history records changes only, with the outcome
// before: an entity's first results are not changes (results.changed_at says since when each holds).
// Frozen in time: never import app code.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('entity_evaluations').addColumn('results_hash', 'text').execute();
  await db.schema.alterTable('result_history').addColumn('previous_outcome', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('result_history').dropColumn('previous_outcome').execute();
  await db.schema.alterTable('entity_evaluations').dropColumn('results_hash').execute();
}
