// A worker process for the scheduler tests: the real Worker and job queue, with a probe
// collector that logs every run it makes (by which worker) into the test database.
import { mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Collector } from '../../server/src/collectors/index.js';
import { loadConfig } from '../../server/src/config.js';
import { Worker } from '../../server/src/scheduler/index.js';
import { Runtime } from '../../server/src/scoring/index.js';

const [databaseUrl, name, leaseSeconds = '30', sleepMs = '20', concurrency = '4'] = process.argv.slice(2);
// A pool: the probe runs several jobs at once.
const client = new pg.Pool({ connectionString: databaseUrl, max: 4 });

const probe: Collector = {
  id: 'probe',
  version: 1,
  factSchemas: { 'probe.echo': { type: 'object' } },
  maxAgeSeconds: { 'probe.echo': 3600 },
  cadence: '0 * * * *',
  appliesTo: () => true,
  async collect(ctx) {
    await new Promise((r) => setTimeout(r, Number(sleepMs)));
    for (const e of ctx.entities) await client.query('insert into probe_log (ref, worker) values ($1, $2)', [e.ref, name]);
    return { facts: ctx.entities.map((e) => ({ entityRef: e.ref, id: 'probe.echo', data: { worker: name } })), errors: [] };
  },
};

const standards = mkdtempSync(join(tmpdir(), 'ys-standards-'));
mkdirSync(join(standards, 'checks'));
mkdirSync(join(standards, 'tracks'));
const config = loadConfig({}, { databaseUrl, checksDir: join(standards, 'checks'), tracksDir: join(standards, 'tracks'), logLevel: 'silent' });
const runtime = await Runtime.open(config, { collectors: [probe] });
const worker = new Worker(runtime, { id: name, leaseSeconds: Number(leaseSeconds), pollMs: 100, concurrency: Number(concurrency), perCollector: { probe: Number(concurrency) } });
worker.start();
process.stdout.write('ready\n');
process.once('SIGTERM', () => {
  void worker.stop().then(async () => {
    await runtime.close();
    await client.end();
    process.exit(0);
  });
});
