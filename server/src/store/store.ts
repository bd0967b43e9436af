import type { Kysely } from 'kysely';
import { type ConnectOptions, connect, ping } from './connect.js';
import type { Database } from './database.js';
import { EntityRepository } from './entity-repository.js';
import { ExemptionRepository } from './exemption-repository.js';
import { FactRepository } from './fact-repository.js';
import { GateRepository } from './gate-repository.js';
import { InsightRepository } from './insight-repository.js';
import { HttpCacheRepository, JobRepository } from './job-repository.js';
import { migrate } from './migrate.js';
import { ResultRepository } from './result-repository.js';
import { TokenRepository } from './token-repository.js';

/**
 * The store: one object holding a repository per concern. Only `store/` imports Kysely.
 *
 * @example
 * ```ts
 * const store = await openStore({ dataDir: '.yardstick/data' }); // embedded PGlite
 * await store.facts.write([{ entityRef, id: 'ci.coverage', data: { line: 80 }, source: 'push' }]);
 * await store.close();
 * ```
 */
export interface Store {
  readonly dialect: 'postgres' | 'pglite';
  readonly db: Kysely<Database>;
  readonly entities: EntityRepository;
  readonly facts: FactRepository;
  readonly results: ResultRepository;
  readonly exemptions: ExemptionRepository;
  /** Verdicts of the pull-request gate. */
  readonly gates: GateRepository;
  readonly tokens: TokenRepository;
  readonly insights: InsightRepository;
  readonly jobs: JobRepository;
  readonly httpCache: HttpCacheRepository;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface OpenStoreOptions extends ConnectOptions {
  /** Apply pending migrations on open (default true). */
  migrate?: boolean;
}

export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const conn = await connect(options);
  try {
    if (options.migrate !== false) await migrate(conn.db);
  } catch (err) {
    await conn.close();
    throw err;
  }
  const db = conn.db;
  return {
    dialect: conn.dialect,
    db,
    entities: new EntityRepository(db),
    facts: new FactRepository(db),
    results: new ResultRepository(db),
    exemptions: new ExemptionRepository(db),
    gates: new GateRepository(db),
    tokens: new TokenRepository(db),
    insights: new InsightRepository(db),
    jobs: new JobRepository(db),
    httpCache: new HttpCacheRepository(db),
    ping: () => ping(db),
    close: () => conn.close(),
  };
}
