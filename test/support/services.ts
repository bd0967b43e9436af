/**
 * Real services for tests. A suite that needs one skips with a visible notice when it is not
 * there — unless YARDSTICK_REQUIRE_SERVICES=1 (as in CI), where a missing service fails the run.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openStore, type Store } from '../../server/src/store/index.js';

export const requireServices = process.env.YARDSTICK_REQUIRE_SERVICES === '1';

/** Admin URL of the test PostgreSQL server (a database that exists; test databases are made beside it). */
export const postgresAdminUrl = process.env.YARDSTICK_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

let pgAvailable: Promise<boolean> | undefined;

/** Whether the test PostgreSQL answers. Throws under YARDSTICK_REQUIRE_SERVICES=1 when it does not. */
export function postgresAvailable(): Promise<boolean> {
  pgAvailable ??= (async () => {
    const client = new pg.Client({ connectionString: postgresAdminUrl, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query('select 1');
      return true;
    } catch (err) {
      if (requireServices) throw new Error(`PostgreSQL required (YARDSTICK_REQUIRE_SERVICES=1) but not reachable at ${redact(postgresAdminUrl)}: ${(err as Error).message}`);
      notice('PostgreSQL', `not reachable at ${redact(postgresAdminUrl)}`);
      return false;
    } finally {
      await client.end().catch(() => {});
    }
  })();
  return pgAvailable;
}

/** Print once why a suite is skipped, so a green run never hides it. */
export function notice(service: string, why: string): void {
  process.stderr.write(`\n[yardstick tests] SKIPPING ${service} suites: ${why}. Set YARDSTICK_REQUIRE_SERVICES=1 to make this an error.\n`);
}

function redact(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}

/** A fresh, empty PostgreSQL database for one test file; dropped by the returned `drop()`. */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `ys_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: postgresAdminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(postgresAdminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: postgresAdminUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export interface TestStore {
  store: Store;
  /** Connection URL for PostgreSQL (for child processes); undefined on PGlite (in memory). */
  databaseUrl?: string;
  close(): Promise<void>;
}

/** The dialects every store test runs on. PGlite always; PostgreSQL when it answers. */
export const dialects = ['pglite', 'postgres'] as const;
export type Dialect = (typeof dialects)[number];

/** Open a migrated store on a fresh database of the given dialect; null when the service is missing. */
export async function openTestStore(dialect: Dialect): Promise<TestStore | null> {
  if (dialect === 'pglite') {
    const store = await openStore({ dataDir: 'memory://' });
    return { store, close: () => store.close() };
  }
  if (!(await postgresAvailable())) return null;
  const db = await createTestDatabase();
  const store = await openStore({ databaseUrl: db.url, dataDir: '' });
  return {
    store,
    databaseUrl: db.url,
    async close() {
      await store.close();
      await db.drop();
    },
  };
}
