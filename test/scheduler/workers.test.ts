import { type ChildProcess, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../server/src/store/index.js';
import { createTestDatabase, postgresAvailable } from '../support/services.js';

const root = resolve(import.meta.dirname, '..', '..');
const ENTITIES = 200;

function startWorker(url: string, name: string, lease: number, sleepMs: number, concurrency = 4): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'test', 'scheduler', 'worker-process.ts'), url, name, String(lease), String(sleepMs), String(concurrency)], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolvePromise, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) resolvePromise(child);
    });
    child.once('exit', (code) => reject(new Error(`worker ${name} exited early with ${code}`)));
  });
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('timed out waiting');
}

const available = await postgresAvailable();

describe.skipIf(!available)('workers sharing one PostgreSQL queue', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let store: Store;
  let client: pg.Client;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    store = await openStore({ databaseUrl: db.url, dataDir: '' });
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await client.query('create table probe_log (id serial primary key, ref text not null, worker text not null, at timestamptz default now())');
    await store.entities.sync(Array.from({ length: ENTITIES }, (_, i) => {
      const name = `svc-${String(i).padStart(3, '0')}`;
      return { ref: `component:default/${name}`, entity: { apiVersion: 'backstage.io/v1alpha1', kind: 'Component', metadata: { name }, spec: { type: 'service' } }, owner: null, system: null };
    }));
  });

  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL');
    await client?.end();
    await store?.close();
    await db?.drop();
  });

  async function sweep(slot: string) {
    await client.query('truncate probe_log');
    await store.jobs.enqueue([{ kind: 'sweep', dedupeKey: `sweep:probe:${slot}`, payload: { kind: 'sweep', collector: 'probe', slot, batch: 1 } }]);
  }

  async function allDone(slot: string): Promise<boolean> {
    const r = await client.query(`select count(*) filter (where status = 'done')::int as done, count(*)::int as total from jobs where dedupe_key like $1`, [`collect:probe:${slot}:%`]);
    return r.rows[0].total === ENTITIES && r.rows[0].done === ENTITIES;
  }

  it('two workers complete a sweep of 200 entities with every job done exactly once', async () => {
    const slot = 'a';
    const [a, b] = await Promise.all([startWorker(db.url, 'worker-a', 30, 10), startWorker(db.url, 'worker-b', 30, 10)]);
    children.push(a, b);
    await sweep(slot);
    await waitFor(() => allDone(slot), 60_000);
    const log = await client.query('select ref, count(*)::int as n from probe_log group by ref');
    expect(log.rows).toHaveLength(ENTITIES);
    expect(log.rows.every((r: { n: number }) => r.n === 1)).toBe(true);
    const byWorker = await client.query('select worker, count(*)::int as n from probe_log group by worker order by worker');
    expect(byWorker.rows.map((r: { worker: string }) => r.worker)).toEqual(['worker-a', 'worker-b']);
    const facts = await client.query(`select count(*)::int as n from facts where fact_id = 'probe.echo'`);
    expect(facts.rows[0].n).toBe(ENTITIES);
    for (const c of [a, b]) c.kill('SIGTERM');
  });

  it('a worker killed with SIGKILL mid-sweep delays but loses no job', async () => {
    const slot = 'b';
    // Slow jobs and a short lease: the victim dies holding leases that must expire and be re-claimed.
    const victim = await startWorker(db.url, 'victim', 3, 400, 4);
    children.push(victim);
    await sweep(slot);
    await waitFor(async () => (await client.query(`select count(*)::int as n from jobs where status = 'running' and locked_by = 'victim'`)).rows[0].n > 0, 20_000);
    victim.kill('SIGKILL');
    const orphaned = (await client.query(`select count(*)::int as n from jobs where status = 'running' and locked_by = 'victim'`)).rows[0].n;
    expect(orphaned).toBeGreaterThan(0);
    const rescuer = await startWorker(db.url, 'rescuer', 3, 5, 8);
    children.push(rescuer);
    await waitFor(() => allDone(slot), 90_000);
    const log = await client.query('select count(distinct ref)::int as n from probe_log');
    expect(log.rows[0].n).toBe(ENTITIES);
    const failed = await client.query(`select count(*)::int as n from jobs where status = 'failed'`);
    expect(failed.rows[0].n).toBe(0);
    const rescued = await client.query(`select count(*)::int as n from jobs where dedupe_key like 'collect:probe:b:%' and attempts > 1`);
    expect(rescued.rows[0].n).toBeGreaterThanOrEqual(orphaned);
    rescuer.kill('SIGTERM');
  });
});
