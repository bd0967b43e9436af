import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Exemption } from '../engine/types.js';
import type { Database, ExemptionRow } from './database.js';

export interface StoredExemption extends Exemption {
  id: string;
  createdAt: string;
  revokedAt: string | null;
  revokedBy: string | null;
}

/** Exemptions and their audit trail: every change writes an audit row in the same transaction. */
export class ExemptionRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(input: Omit<Exemption, 'id' | 'createdAt'>, actor: string): Promise<StoredExemption> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('exemptions')
        .values({ id: randomUUID(), entity_ref: input.entityRef, check_id: input.checkId, reason: input.reason, author: input.author, expires_at: input.expiresAt })
        .returningAll()
        .executeTakeFirstOrThrow();
      await trx.insertInto('audit_log').values({ actor, action: 'exemption.create', target: row.id, details: JSON.stringify(input) }).execute();
      return fromRow(row);
    });
  }

  async revoke(id: string, actor: string, now = new Date()): Promise<StoredExemption | undefined> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .updateTable('exemptions')
        .set({ revoked_at: now, revoked_by: actor })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .returningAll()
        .executeTakeFirst();
      if (!row) return undefined;
      await trx.insertInto('audit_log').values({ actor, action: 'exemption.revoke', target: id, details: JSON.stringify({ entityRef: row.entity_ref, checkId: row.check_id }) }).execute();
      return fromRow(row);
    });
  }

  async get(id: string): Promise<StoredExemption | undefined> {
    const row = await this.db.selectFrom('exemptions').selectAll().where('id', '=', id).executeTakeFirst();
    return row && fromRow(row);
  }

  /** Exemptions in force at `now` (not revoked, not expired), optionally for some entities only. */
  async active(now = new Date(), refs?: string[]): Promise<StoredExemption[]> {
    let q = this.db.selectFrom('exemptions').selectAll().where('revoked_at', 'is', null).where('expires_at', '>', now);
    if (refs) {
      if (refs.length === 0) return [];
      q = q.where('entity_ref', 'in', refs);
    }
    return (await q.orderBy('expires_at').execute()).map(fromRow);
  }

  async list(options: { entityRef?: string; includeInactive?: boolean; now?: Date } = {}): Promise<StoredExemption[]> {
    let q = this.db.selectFrom('exemptions').selectAll().orderBy('created_at', 'desc');
    if (options.entityRef) q = q.where('entity_ref', '=', options.entityRef);
    if (!options.includeInactive) q = q.where('revoked_at', 'is', null).where('expires_at', '>', options.now ?? new Date());
    return (await q.execute()).map(fromRow);
  }

  async audit(limit = 200) {
    return this.db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(limit).execute();
  }
}

function fromRow(row: ExemptionRow): StoredExemption {
  return {
    id: row.id,
    entityRef: row.entity_ref,
    checkId: row.check_id,
    reason: row.reason,
    author: row.author,
    expiresAt: new Date(row.expires_at).toISOString(),
    createdAt: new Date(row.created_at).toISOString(),
    revokedAt: row.revoked_at ? new Date(row.revoked_at as Date).toISOString() : null,
    revokedBy: row.revoked_by,
  };
}
