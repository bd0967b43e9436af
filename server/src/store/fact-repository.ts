import { type Kysely, sql } from 'kysely';
import type { Database, FactRow } from './database.js';
import { hashJson } from './canonical-json.js';

/** A fact to store. `scope` '' is the default branch; `sha:<sha>` / `pr:<n>` keep a pull request's facts apart. */
export interface FactWrite {
  entityRef: string;
  id: string;
  data: unknown;
  source: string;
  collectedAt?: Date;
  scope?: string;
}

export interface StoredFact {
  entityRef: string;
  id: string;
  scope: string;
  data: unknown;
  source: string;
  collectedAt: Date;
  changedAt: Date;
  lastError: string | null;
  lastErrorAt: Date | null;
  /** Hash of the canonical data: equal hashes, equal data (absent when read without it). */
  hash?: string;
}

export interface FactWriteSummary {
  written: number;
  /** Facts whose data changed (or are new): each wrote one history row. */
  changed: number;
  /** Facts whose data was identical: only their collection time moved. */
  unchanged: number;
}

const CHUNK = 400;
const key = (ref: string, id: string, scope: string) => `${ref}\u0000${id}\u0000${scope}`;

export class FactRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Store the latest value of each fact. A history row is written only when the data
   * changed, so a steady sweep costs no history growth.
   */
  async write(facts: FactWrite[]): Promise<FactWriteSummary> {
    const summary: FactWriteSummary = { written: 0, changed: 0, unchanged: 0 };
    if (facts.length === 0) return summary;
    // The last write of a key in one batch wins; earlier duplicates would violate the upsert.
    const byKey = new Map<string, FactWrite & { hash: string; scope: string; collectedAt: Date }>();
    const now = new Date();
    for (const f of facts) {
      const scope = f.scope ?? '';
      byKey.set(key(f.entityRef, f.id, scope), { ...f, scope, hash: hashJson(f.data), collectedAt: f.collectedAt ?? now });
    }
    const all = [...byKey.values()];
    await this.db.transaction().execute(async (trx) => {
      for (let i = 0; i < all.length; i += CHUNK) {
        const chunk = all.slice(i, i + CHUNK);
        // A join on unnest() rather than `(a, b, c) in ((…), …)`: the tuple list becomes a deep OR
        // expression that overflows PGlite's stack at a few hundred keys, and costs 1,200 parameters.
        const existing = (await sql<{ entity_ref: string; fact_id: string; scope: string; hash: string; changed_at: Date }>`
          select f.entity_ref, f.fact_id, f.scope, f.hash, f.changed_at
          from facts f
          join unnest(${chunk.map((f) => f.entityRef)}::text[], ${chunk.map((f) => f.id)}::text[], ${chunk.map((f) => f.scope)}::text[]) as k(entity_ref, fact_id, scope)
            on f.entity_ref = k.entity_ref and f.fact_id = k.fact_id and f.scope = k.scope`.execute(trx)).rows;
        const known = new Map(existing.map((r) => [key(r.entity_ref, r.fact_id, r.scope), r]));
        const changed = chunk.filter((f) => known.get(key(f.entityRef, f.id, f.scope))?.hash !== f.hash);
        if (changed.length > 0) {
          await trx
            .insertInto('fact_history')
            .values(changed.map((f) => ({
              entity_ref: f.entityRef, fact_id: f.id, scope: f.scope, data: JSON.stringify(f.data),
              hash: f.hash, source: f.source, collected_at: f.collectedAt,
            })))
            .execute();
        }
        const changedKeys = new Set(changed.map((f) => key(f.entityRef, f.id, f.scope)));
        await trx
          .insertInto('facts')
          .values(chunk.map((f) => {
            const k = key(f.entityRef, f.id, f.scope);
            return {
              entity_ref: f.entityRef, fact_id: f.id, scope: f.scope, data: JSON.stringify(f.data), hash: f.hash,
              source: f.source, collected_at: f.collectedAt,
              changed_at: changedKeys.has(k) ? f.collectedAt : (known.get(k)!.changed_at as Date),
              last_error: null, last_error_at: null,
            };
          }))
          .onConflict((oc) =>
            oc.columns(['entity_ref', 'fact_id', 'scope']).doUpdateSet((eb) => ({
              data: eb.ref('excluded.data'),
              hash: eb.ref('excluded.hash'),
              source: eb.ref('excluded.source'),
              collected_at: eb.ref('excluded.collected_at'),
              changed_at: eb.ref('excluded.changed_at'),
              last_error: null,
              last_error_at: null,
            })),
          )
          .execute();
        summary.written += chunk.length;
        summary.changed += changed.length;
        summary.unchanged += chunk.length - changed.length;
      }
    });
    return summary;
  }

  /** Record a failed collection on the facts it would have refreshed; their data and age stay as they were. */
  async recordError(entityRef: string, factIds: string[], message: string, at = new Date()): Promise<void> {
    if (factIds.length === 0) return;
    await this.db
      .updateTable('facts')
      .set({ last_error: message.slice(0, 2000), last_error_at: at })
      .where('entity_ref', '=', entityRef)
      .where('fact_id', 'in', factIds)
      .where('scope', '=', '')
      .execute();
  }

  /** Latest facts of the given entities (default-branch scope unless told), grouped by entity. */
  async latest(refs: string[], scope = ''): Promise<Map<string, StoredFact[]>> {
    return this.#byEntity(refs, (chunk) => this.db.selectFrom('facts').selectAll().where('entity_ref', 'in', chunk).where('scope', '=', scope).execute(), fromRow);
  }

  /**
   * What identifies the entities' latest default-branch facts without their data: id, content hash
   * and collection time (what a full rescore fingerprints before deciding to read the data).
   */
  async heads(refs: string[]): Promise<Map<string, { id: string; hash: string; collectedAt: Date }[]>> {
    return this.#byEntity(
      refs,
      (chunk) => this.db.selectFrom('facts').select(['entity_ref', 'fact_id', 'hash', 'collected_at']).where('entity_ref', 'in', chunk).where('scope', '=', '').execute(),
      (row) => ({ id: row.fact_id, hash: row.hash, collectedAt: row.collected_at as Date }),
    );
  }

  /** Rows of the given entities, read 1,000 entities at a time, grouped by entity. */
  async #byEntity<R extends { entity_ref: string }, T>(refs: string[], read: (chunk: string[]) => Promise<R[]>, map: (row: R) => T): Promise<Map<string, T[]>> {
    const out = new Map<string, T[]>();
    for (let i = 0; i < refs.length; i += 1000) {
      for (const row of await read(refs.slice(i, i + 1000))) {
        const list = out.get(row.entity_ref);
        if (list) list.push(map(row));
        else out.set(row.entity_ref, [map(row)]);
      }
    }
    return out;
  }

  /** Every latest fact of the default branch (for full rescoring), streamed in pages by entity ref. */
  async *allLatest(pageSize = 5000): AsyncGenerator<StoredFact[]> {
    let after: [string, string] = ['', ''];
    while (true) {
      const rows = await this.db
        .selectFrom('facts')
        .selectAll()
        .where('scope', '=', '')
        .where((eb) => eb(eb.refTuple('entity_ref', 'fact_id'), '>', eb.tuple(after[0], after[1])))
        .orderBy('entity_ref')
        .orderBy('fact_id')
        .limit(pageSize)
        .execute();
      if (rows.length === 0) return;
      const last = rows[rows.length - 1];
      after = [last.entity_ref, last.fact_id];
      yield rows.map(fromRow);
      if (rows.length < pageSize) return;
    }
  }

  /** History of one entity's facts, newest first. */
  async history(entityRef: string, options: { factId?: string; limit?: number; scope?: string } = {}) {
    let q = this.db
      .selectFrom('fact_history')
      .select(['fact_id', 'scope', 'data', 'source', 'collected_at'])
      .where('entity_ref', '=', entityRef)
      .where('scope', '=', options.scope ?? '')
      .orderBy('collected_at', 'desc')
      .orderBy('id', 'desc')
      .limit(options.limit ?? 100);
    if (options.factId) q = q.where('fact_id', '=', options.factId);
    return (await q.execute()).map((r) => ({ id: r.fact_id, scope: r.scope, data: r.data, source: r.source, collectedAt: r.collected_at as Date }));
  }

  /** Drop history older than `before` (the latest value of each fact is kept in `facts`). */
  async pruneHistory(before: Date): Promise<number> {
    const result = await this.db.deleteFrom('fact_history').where('collected_at', '<', before).executeTakeFirst();
    return Number(result.numDeletedRows ?? 0);
  }

  /** Drop pull-request scoped facts older than `before`. */
  async pruneScoped(before: Date): Promise<number> {
    const result = await this.db.deleteFrom('facts').where('scope', '<>', '').where('collected_at', '<', before).executeTakeFirst();
    return Number(result.numDeletedRows ?? 0);
  }

  async historySize(): Promise<number> {
    const row = await sql<{ n: number }>`select count(*)::int as n from fact_history`.execute(this.db);
    return row.rows[0]?.n ?? 0;
  }
}

function fromRow(row: FactRow): StoredFact {
  return {
    entityRef: row.entity_ref,
    id: row.fact_id,
    scope: row.scope,
    data: row.data,
    source: row.source,
    collectedAt: row.collected_at as Date,
    changedAt: row.changed_at as Date,
    lastError: row.last_error,
    lastErrorAt: row.last_error_at as Date | null,
    hash: row.hash,
  };
}
