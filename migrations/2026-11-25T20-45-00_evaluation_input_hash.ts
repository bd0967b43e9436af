// The fingerprint of what an entity was last scored from (definitions, descriptor, facts, exemptions):
// a full rescore skips entities whose fingerprint did not change. Frozen in time: never import app code.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('entity_evaluations').addColumn('input_hash', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('entity_evaluations').dropColumn('input_hash').execute();
}
