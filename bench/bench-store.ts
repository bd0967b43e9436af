/**
 * Databases and runtimes for benchmarks: a fresh PostgreSQL database made beside DATABASE_URL
 * (or the test server), or an in-memory PGlite; a Runtime on it with the synthetic definitions.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { collectors } from '../server/src/collectors/index.js';
import { loadConfig } from '../server/src/config.js';
import { Runtime } from '../server/src/scoring/index.js';
import { openStore } from '../server/src/store/index.js';
import { synthCollector, syntheticDefinitions } from './synthetic-org.js';

/** The server benchmark databases are created on (never written to itself). */
export const adminUrl = process.env.DATABASE_URL ?? process.env.YARDSTICK_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface BenchDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** A fresh empty database `ys_bench_<hex>` on the admin server. */
export async function createBenchDatabase(): Promise<BenchDatabase> {
  const name = `ys_bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export async function serverInfo(): Promise<{ version: string; settings: Record<string, string> }> {
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  try {
    const v = await c.query('show server_version');
    const s = await c.query(`select name, setting, unit from pg_settings where name in ('shared_buffers', 'synchronous_commit', 'max_wal_size', 'work_mem')`);
    return { version: v.rows[0].server_version, settings: Object.fromEntries(s.rows.map((r) => [r.name, `${r.setting}${r.unit ? ` ${r.unit}` : ''}`])) };
  } finally {
    await c.end();
  }
}

/** A Runtime on `databaseUrl` (or in-memory PGlite when absent) scoring with the synthetic definitions. */
export async function openBenchRuntime(databaseUrl?: string): Promise<Runtime> {
  const config = loadConfig({}, {
    databaseUrl, dataDir: 'memory://', checksDir: 'checks', tracksDir: 'tracks', logLevel: 'silent', scheduler: false,
    publicReads: true, rateLimitPerMinute: 10_000_000,
  });
  const store = await openStore({ databaseUrl, dataDir: 'memory://', poolSize: 10 });
  const runtime = await Runtime.open(config, { collectors: [...collectors, synthCollector], store });
  runtime.useDefinitions(syntheticDefinitions().definitions);
  return runtime;
}

export function pgClient(url: string): pg.Client {
  return new pg.Client({ connectionString: url });
}

/** Percentile of a sorted-on-demand sample (nearest rank). */
export function percentile(sample: number[], p: number): number {
  if (sample.length === 0) return NaN;
  const s = [...sample].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}
