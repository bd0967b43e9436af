/**
 * The gate figure of `bench/run.ts` on its own: 10,000 synthetic components × 200 checks (5 gated
 * tracks) on a fresh PostgreSQL database, the app listening on loopback, the load from a process
 * of its own (`bench/load-client.ts`): one request every 1/rate s over at most 10 sockets, or with
 * `--bursts` autocannon's 10 at once every 200 ms; each request a different repository and sha with
 * a changed `synth.ci` fact, admin token — the same requests as the runner's gate step. Without the runner's
 * year of history and full rescore, which the gate never reads, so it takes about a minute a round
 * instead of ten.
 *
 *   npx tsx bench/gate-load.ts [--components=10000] [--seconds=30] [--rounds=3] [--rate=50] [--connections=10] [--bursts]
 *
 * Prints p50 / p90 / p99 of each round and the median of each over the rounds.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { buildApp } from '../server/src/app.js';
import { generateToken } from '../server/src/auth/index.js';
import { createBenchDatabase, openBenchRuntime, percentile } from './bench-store.js';
import { runLoadClient } from './load-client.js';
import { allSyntheticFacts, gateBodies, syntheticEntities } from './synthetic-org.js';

export interface GateLoadRound {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  /** Server side (onRequest → onResponse hooks): where the client's latency is not the server's. */
  serverP50: number;
  serverP99: number;
  /** Event-loop delay p99 during the round (ms): the process's own CPU queue. */
  loopDelayP99: number;
  total: number;
  non2xx: number;
  errors: number;
}

export async function runGateLoadBench({ components = 10_000, seconds = 30, rounds = 3, rate = 50, connections = 10, mode = 'steady' as 'steady' | 'bursts', log = (_: string) => {} } = {}): Promise<{ rounds: GateLoadRound[]; median: { p50: number; p90: number; p99: number } }> {
  const db = await createBenchDatabase();
  const runtime = await openBenchRuntime(db.url);
  const now = new Date();
  try {
    const org = syntheticEntities(components);
    await runtime.store.entities.sync(org.entities);
    await runtime.store.facts.write(allSyntheticFacts(org, now));
    log(`stored ${components} components and their facts`);
    const t = generateToken();
    await runtime.store.tokens.create({ id: t.id, name: 'bench-gate', hash: t.hash, scope: 'admin', repos: [] }, 'bench');
    const app = await buildApp({ runtime });
    const server: number[] = [];
    const started = new WeakMap<object, number>();
    app.addHook('onRequest', async (req) => void started.set(req, performance.now()));
    app.addHook('onResponse', async (req) => void server.push(performance.now() - (started.get(req) ?? performance.now())));
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const out: GateLoadRound[] = [];
    try {
      // Three seconds of the same load first, not counted: the first requests compile the gate's code.
      await runLoadClient({ url: `http://127.0.0.1:${port}/api/v1/gate`, headers: { authorization: `Bearer ${t.token}` }, bodies: gateBodies(org, now, 200, 1_000_000), seconds: 3, rate, connections, mode });
      for (let round = 0; round < rounds; round++) {
        server.length = 0;
        const loop = monitorEventLoopDelay({ resolution: 5 });
        loop.enable();
        const r = await runLoadClient({
          url: `http://127.0.0.1:${port}/api/v1/gate`, headers: { authorization: `Bearer ${t.token}` },
          bodies: gateBodies(org, now, seconds * rate * 1.2, round * seconds * rate * 1.2), seconds, rate, connections, mode,
        });
        loop.disable();
        const ms = (n: number) => Math.round(n * 10) / 10;
        out.push({
          ...r.latency,
          serverP50: ms(percentile(server, 50)), serverP99: ms(percentile(server, 99)), loopDelayP99: ms(loop.percentile(99) / 1e6),
          total: r.total, non2xx: r.non2xx, errors: r.errors,
        });
        log(`round ${round + 1}: ${JSON.stringify(out[out.length - 1])}`);
      }
    } finally {
      await app.close();
    }
    const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    return { rounds: out, median: { p50: med(out.map((r) => r.p50)), p90: med(out.map((r) => r.p90)), p99: med(out.map((r) => r.p99)) } };
  } finally {
    await runtime.close();
    await db.drop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const arg = (name: string, d: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? d);
  runGateLoadBench({ components: arg('components', 10_000), seconds: arg('seconds', 30), rounds: arg('rounds', 3), rate: arg('rate', 50), connections: arg('connections', 10), mode: process.argv.includes('--bursts') ? 'bursts' : 'steady', log: (m) => process.stderr.write(`[gate-load] ${m}\n`) })
    .then((r) => console.log(JSON.stringify(r, null, 2)));
}
