import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kysely, PGliteDialect, PostgresDialect, sql } from 'kysely';
import { errors } from '../errors.js';
import type { Database } from './database.js';

/** Where the store lives: a PostgreSQL URL, or an embedded PGlite folder when there is none. */
export interface ConnectOptions {
  databaseUrl?: string;
  /** PGlite data folder (used only without `databaseUrl`). `memory://` keeps it in memory. */
  dataDir: string;
  poolSize?: number;
  /** How long opening a PostgreSQL connection may take before it fails (default 10 s). */
  connectTimeoutMs?: number;
}

export interface Connection {
  db: Kysely<Database>;
  dialect: 'postgres' | 'pglite';
  close(): Promise<void>;
}

const INT8_OID = 20;
const DATE_OID = 1082;

/** Open Kysely on PostgreSQL (pg driver) or embedded PGlite, with the same type parsing on both. */
export async function connect(options: ConnectOptions): Promise<Connection> {
  if (options.databaseUrl) {
    const pg = (await import('pg')).default;
    // Counts arrive as int8: numbers are what callers expect (they stay far below 2^53).
    const types = {
      getTypeParser(oid: number, format?: 'text' | 'binary') {
        if (oid === INT8_OID) return (v: string) => Number(v);
        if (oid === DATE_OID) return (v: string) => v;
        return pg.types.getTypeParser(oid, format as 'text');
      },
    };
    // A server that accepts the connection but never answers (overloaded, a half-open network
    // path) fails the query after the timeout instead of holding a job or a request forever;
    // TCP keep-alive finds a peer that went away without closing the connection.
    const pool = new pg.Pool({
      connectionString: options.databaseUrl, max: options.poolSize ?? 10, types,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000, keepAlive: true,
    });
    // A dropped connection (server restart) must not crash the process; the pool reconnects.
    // The pool only listens for errors on idle clients: a client checked out between two queries
    // (inside a transaction) that loses its server emits 'error' with nobody listening, which
    // kills the process. A listener of its own on every client keeps that error to the query
    // that meets it; the pool drops the dead client on release.
    pool.on('error', () => {});
    pool.on('connect', (client) => client.on('error', () => {}));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: 'postgres', close: () => db.destroy() };
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const dir = options.dataDir;
  let unlock = () => {};
  if (!dir.startsWith('memory://')) {
    mkdirSync(dir, { recursive: true });
    unlock = lockDataDir(dir);
  }
  try {
    const pglite = new PGlite(dir, {
      parsers: { [INT8_OID]: (v: string) => Number(v), [DATE_OID]: (v: string) => v },
    });
    await pglite.waitReady;
    const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) });
    return {
      db,
      dialect: 'pglite',
      close: async () => {
        try {
          await db.destroy();
        } finally {
          unlock();
        }
      },
    };
  } catch (err) {
    unlock();
    throw err;
  }
}

/** The lock file in an embedded database folder: the pid of the process that has it open. */
export const DATA_DIR_LOCK = 'yardstick.pid';

/**
 * Claim an embedded database folder for this process. PGlite is a whole PostgreSQL inside the
 * process with no lock of its own: a second process opening the same files would corrupt them.
 * A lock left by a process that is gone is taken over. Returns the release.
 */
function lockDataDir(dir: string): () => void {
  const file = join(dir, DATA_DIR_LOCK);
  const release = () => {
    process.off('exit', release);
    try {
      if (readFileSync(file, 'utf8').trim() === String(process.pid)) unlinkSync(file);
    } catch {
      // Already gone.
    }
  };
  const claim = () => writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
  try {
    claim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const holder = Number(readFileSync(file, 'utf8').trim());
    if (holder && holder !== process.pid && processAlive(holder)) {
      throw new errors.YS_ERR_STORE_UNAVAILABLE(
        `the embedded database in ${dir} is open in another Yardstick process (pid ${holder}). It takes one process at a time: ` +
        `stop that one first, or set DATABASE_URL to a PostgreSQL server to run several. (If no such process runs, delete ${file}.)`,
      );
    }
    unlinkSync(file); // left by a process that is gone (or by this one)
    claim(); // another process taking it over at the same moment wins; this one fails with EEXIST
  }
  process.on('exit', release);
  return release;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Cheap round trip used by readiness checks. */
export async function ping(db: Kysely<Database>): Promise<void> {
  await sql`select 1`.execute(db);
}
