// When the inputs of each entity's stored evaluation were read, by the database's clock: a save
// leaves out an entity whose stored evaluation was made from inputs read later (a fact push's
// rescore that started after a full rescore read its page, and saved first). The database's clock,
// not the process's: several server processes need not agree on the time. Null: not recorded
// (rows from before, and saves that did not say), which never holds a save back.
// Frozen in time: never import app code.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('entity_evaluations').addColumn('inputs_read_at', 'timestamptz').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('entity_evaluations').dropColumn('inputs_read_at').execute();
}
