import type { Kysely } from 'kysely';
import type { ApiTokenRow, Database } from './database.js';

/** The scopes a token can hold, weakest first: each includes what the ones before it may do. */
export type TokenScope = 'read' | 'ci' | 'admin';

/** A stored API token. The secret itself is never stored: only its SHA-256 digest (`hash`, hex). */
export interface StoredToken {
  id: string;
  name: string;
  hash: string;
  scope: TokenScope;
  /** `owner/name` repositories a `ci` token may act for (lower case). */
  repos: string[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** How long a token read for authentication is reused before it is read again. */
const AUTH_CACHE_MS = 5_000;

/**
 * API tokens; creation and revocation are audited in the same transaction.
 *
 * Authentication reads go through a short cache (`forAuth`): a busy CI token costs no statement per
 * request. A revocation through this repository takes effect at once in this process; one made by
 * another process (`yardstick token revoke` beside a running server) within `AUTH_CACHE_MS`.
 */
export class TokenRepository {
  readonly #authCache = new Map<string, { token: StoredToken | undefined; until: number }>();
  /** When each token's use was last written (or found recent), so `touch` skips the statement in between. */
  readonly #touched = new Map<string, number>();

  constructor(private readonly db: Kysely<Database>) {}

  /** The token for authenticating a request: `get`, cached for a few seconds (unknown ids too). */
  async forAuth(id: string, now = Date.now()): Promise<StoredToken | undefined> {
    const hit = this.#authCache.get(id);
    if (hit && hit.until > now) return hit.token;
    const token = await this.get(id);
    if (this.#authCache.size >= 10_000) this.#authCache.clear(); // bounded: guessed ids cannot grow it without end
    this.#authCache.set(id, { token, until: now + AUTH_CACHE_MS });
    return token;
  }

  async create(input: { id: string; name: string; hash: string; scope: TokenScope; repos: string[] }, actor: string): Promise<StoredToken> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('api_tokens')
        .values({ id: input.id, name: input.name, hash: input.hash, scope: input.scope, repos: JSON.stringify(input.repos) })
        .returningAll()
        .executeTakeFirstOrThrow();
      await trx.insertInto('audit_log').values({
        actor, action: 'token.create', target: input.id, details: JSON.stringify({ name: input.name, scope: input.scope, repos: input.repos }),
      }).execute();
      return fromRow(row);
    });
  }

  async get(id: string): Promise<StoredToken | undefined> {
    const row = await this.db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
    return row && fromRow(row);
  }

  async list(options: { includeRevoked?: boolean } = {}): Promise<StoredToken[]> {
    let q = this.db.selectFrom('api_tokens').selectAll().orderBy('created_at').orderBy('id');
    if (!options.includeRevoked) q = q.where('revoked_at', 'is', null);
    return (await q.execute()).map(fromRow);
  }

  async revoke(id: string, actor: string, now = new Date()): Promise<StoredToken | undefined> {
    try {
      return await this.db.transaction().execute(async (trx) => {
        const row = await trx
          .updateTable('api_tokens')
          .set({ revoked_at: now })
          .where('id', '=', id)
          .where('revoked_at', 'is', null)
          .returningAll()
          .executeTakeFirst();
        if (!row) return undefined;
        await trx.insertInto('audit_log').values({ actor, action: 'token.revoke', target: id, details: JSON.stringify({ name: row.name }) }).execute();
        return fromRow(row);
      });
    } finally {
      this.#authCache.delete(id); // after the commit, so no request re-reads the row as it was
    }
  }

  /** Record a use; writes at most once per `minIntervalMs` per token, so busy CI tokens cost no write per request. */
  async touch(id: string, now = new Date(), minIntervalMs = 60_000): Promise<void> {
    const last = this.#touched.get(id);
    if (last !== undefined && now.getTime() - last < minIntervalMs) return;
    this.#touched.set(id, now.getTime());
    await this.db
      .updateTable('api_tokens')
      .set({ last_used_at: now })
      .where('id', '=', id)
      .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', new Date(now.getTime() - minIntervalMs))]))
      .execute();
  }
}

function fromRow(row: ApiTokenRow): StoredToken {
  return {
    id: row.id,
    name: row.name,
    hash: row.hash,
    scope: row.scope as TokenScope,
    repos: row.repos,
    createdAt: new Date(row.created_at).toISOString(),
    lastUsedAt: row.last_used_at ? new Date(row.last_used_at).toISOString() : null,
    revokedAt: row.revoked_at ? new Date(row.revoked_at).toISOString() : null,
  };
}
