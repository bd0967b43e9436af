/**
 * Where a gate request's time goes: the example organisation (as `openTestApp` seeds it: catalog,
 * example facts, one rescore) on embedded PGlite or a fresh PostgreSQL database, `POST
 * /api/v1/gate` fired sequentially through `app.inject`, and every statement sent to the store
 * counted per request (BEGIN / COMMIT included on PostgreSQL, where each is a round trip).
 *
 *   npx tsx bench/gate-profile.ts [--pg] [--requests=300] [--sql]
 *   node --cpu-prof --cpu-prof-dir=bench/results --import tsx bench/gate-profile.ts
 *
 * `--sql` prints the statements of one request. Prints p50 / p90 / p99 and statements per request.
 */
import { readFile } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { buildApp } from '../server/src/app.js';
import { generateToken } from '../server/src/auth/index.js';
import { exampleFactFiles } from '../server/src/cli/shared.js';
import { loadConfig } from '../server/src/config.js';
import { Runtime } from '../server/src/scoring/index.js';
import { openStore } from '../server/src/store/index.js';
import { createBenchDatabase, percentile, type BenchDatabase } from './bench-store.js';
import { benchSha, gateRequestBody } from './gate-latency.js';

const args = process.argv.slice(2);
const usePg = args.includes('--pg');
const requests = Number(args.find((a) => a.startsWith('--requests='))?.slice(11) ?? 300);
const showSql = args.includes('--sql');

/** Statements seen since the last reset (text only, for `--sql`). */
const seen: string[] = [];
/** Milliseconds spent waiting on each kind of statement (first 40 characters), summed. */
const waited = new Map<string, number>();
const record = (text: unknown) => seen.push(String(typeof text === 'object' && text && 'text' in text ? (text as { text: string }).text : text).replace(/\s+/g, ' ').trim().slice(0, 160));
function timed<T>(result: T): T {
  const kind = seen[seen.length - 1].slice(0, 40);
  const started = performance.now();
  if (result && typeof (result as { then?: unknown }).then === 'function') {
    (result as unknown as Promise<unknown>).then(() => waited.set(kind, (waited.get(kind) ?? 0) + performance.now() - started), () => {});
  }
  return result;
}

// PostgreSQL: every Client.query is one round trip (BEGIN and COMMIT included).
const pgQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...a: unknown[]) {
  record(a[0]);
  return timed((pgQuery as (...x: unknown[]) => unknown).apply(this, a));
} as typeof pgQuery;
// PGlite: statements on the instance and inside its transactions.
const pgliteQuery = PGlite.prototype.query;
PGlite.prototype.query = function (this: PGlite, ...a: unknown[]) {
  record(a[0]);
  return timed((pgliteQuery as (...x: unknown[]) => unknown).apply(this, a));
} as typeof pgliteQuery;
const pgliteTx = PGlite.prototype.transaction;
PGlite.prototype.transaction = function (this: PGlite, fn: (tx: never) => Promise<unknown>) {
  record('BEGIN (transaction)');
  return pgliteTx.call(this, async (tx) => {
    const t = tx as unknown as { query: (...x: unknown[]) => unknown };
    const q = t.query.bind(t);
    t.query = (...a: unknown[]) => {
      record(a[0]);
      return timed(q(...a));
    };
    return fn(tx as never);
  });
} as typeof pgliteTx;

let db: BenchDatabase | undefined;
if (usePg) db = await createBenchDatabase();
const config = loadConfig({}, { dataDir: 'memory://', databaseUrl: db?.url, logLevel: 'silent', scheduler: false, publicUrl: 'https://yardstick.example.com', rateLimitPerMinute: 10_000_000 });
const store = await openStore({ databaseUrl: db?.url, dataDir: 'memory://' });
const runtime = await Runtime.open(config, { store });
try {
  await runtime.syncCatalog();
  for (const file of exampleFactFiles()) await runtime.pushFactDocument(JSON.parse(await readFile(file, 'utf8')), file, 'seed');
  await runtime.rescore();
  const repo = 'larkspur/payments-api';
  const t = generateToken();
  await runtime.store.tokens.create({ id: t.id, name: 'profile-ci', hash: t.hash, scope: 'ci', repos: [repo] }, 'bench');
  const app = await buildApp({ runtime });
  await app.ready();
  const headers = { authorization: `Bearer ${t.token}` };
  const once = async (i: number) => {
    const sha = benchSha(i);
    const started = performance.now();
    const res = await app.inject({
      method: 'POST', url: '/api/v1/gate', headers,
      payload: gateRequestBody(repo, sha, i),
    });
    const ms = performance.now() - started;
    if (res.statusCode !== 200) throw new Error(`gate answered ${res.statusCode}: ${res.body}`);
    return ms;
  };
  for (let i = 0; i < 30; i++) await once(i);
  // Let the fire-and-forget token touch of the warm-up settle, then count one request alone.
  await new Promise((r) => setTimeout(r, 50));
  seen.length = 0;
  await once(30);
  await new Promise((r) => setTimeout(r, 50));
  const perRequest = seen.length;
  if (showSql) for (const s of seen) console.log(`  ${s}`);
  seen.length = 0;
  waited.clear();
  const sample: number[] = [];
  for (let i = 0; i < requests; i++) sample.push(await once(31 + i));
  const statements = seen.length / requests;
  await app.close();
  const r = (n: number) => Math.round(n * 100) / 100;
  console.log(JSON.stringify({
    dialect: runtime.store.dialect, requests, statementsFirstRequest: perRequest, statementsPerRequest: r(statements),
    p50Ms: r(percentile(sample, 50)), p90Ms: r(percentile(sample, 90)), p99Ms: r(percentile(sample, 99)),
    meanMs: r(sample.reduce((a, b) => a + b, 0) / sample.length),
    waitedMsPerRequest: Object.fromEntries([...waited].map(([k, v]) => [k, r(v / requests)])),
  }, null, 1));
} finally {
  await runtime.close();
  await db?.drop();
}
