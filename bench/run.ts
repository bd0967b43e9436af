/**
 * `npm run bench [-- --quick]`: every figure of BENCHMARKS.md on one synthetic organisation.
 * Prints a table (figure, value, goal, pass/miss) and the machine, and writes
 * `bench/results/latest.json`. Default size 10,000 components × 200 checks × 365 days;
 * `--quick` uses 1,000 components. One failing figure is reported, the others still run.
 *
 * Flags: --quick, --only=<name,...> (rules, rescore, incremental, pglite, api, gate, sweep, growth).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from '../server/src/app.js';
import { generateToken } from '../server/src/auth/index.js';
import type { Runtime } from '../server/src/scoring/index.js';
import { createBenchDatabase, openBenchRuntime, percentile, pgClient, serverInfo, type BenchDatabase } from './bench-store.js';
import { runFactGrowthBench } from './fact-growth.js';
import { runLoadClient } from './load-client.js';
import { laterInTheHour, timeRescorePhases } from './rescore-profile.js';
import { runRuleThroughputBench } from './rule-throughput.js';
import { allSyntheticFacts, gateBodies, insertHistory, syntheticEntities, syntheticFacts, type SyntheticOrg } from './synthetic-org.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.find((a) => a.startsWith('--only='))?.slice(7).split(',');
const want = (name: string) => !only || only.includes(name);
const N = quick ? 1000 : 10_000;
const DAYS = 365;
const here = dirname(fileURLToPath(import.meta.url));

interface Row {
  figure: string;
  value: number | null;
  unit: string;
  goal: string;
  pass: boolean | null;
  note?: string;
}
const rows: Row[] = [];
const details: Record<string, unknown> = {};
const started = Date.now();

function log(msg: string) {
  process.stderr.write(`[bench +${((Date.now() - started) / 1000).toFixed(0)}s] ${msg}\n`);
}
function add(figure: string, value: number | null, unit: string, goal: string, pass: boolean | null, note?: string) {
  rows.push({ figure, value: value === null ? null : Math.round(value * 100) / 100, unit, goal, pass, note });
}
async function step(name: string, fn: () => Promise<void>) {
  if (!want(name)) return;
  log(`${name}…`);
  try {
    await fn();
  } catch (err) {
    log(`${name} FAILED: ${(err as Error).stack ?? err}`);
    add(name, null, '', 'runs', false, `failed: ${(err as Error).message.slice(0, 120)}`);
    details[`${name}Error`] = String((err as Error).message);
  }
}
const ms = (t: number) => performance.now() - t;

// --- 2. rule evaluation throughput (pure CPU) ------------------------------------------------
await step('rules', async () => {
  const r = await runRuleThroughputBench({ entities: 2000, minMs: quick ? 1000 : 3000 });
  details.rules = r;
  add('rules: ours, compiled (all 200 rules)', r.oursAll / 1e6, 'M evals/s', '≥ 10 M/s (stretch)', r.oursAll >= 10e6);
  add('rules: json-logic-js apply (all 200 rules)', r.jsonLogicJsAll / 1e6, 'M evals/s', '—', null);
  add('rules: ours ÷ json-logic-js', r.oursAll / r.jsonLogicJsAll, '×', '≥ 1×', r.oursAll >= r.jsonLogicJsAll);
  add(`rules: json-rules-engine (${r.translatedRules} translatable rules)`, r.jsonRulesEngineSubset / 1e6, 'M evals/s', '—', null);
  add('rules: ours ÷ json-rules-engine (same subset)', r.oursSubset / r.jsonRulesEngineSubset, '×', '≥ 20×', r.oursSubset / r.jsonRulesEngineSubset >= 20);
  add('rules: evaluateEntity (outcome+message+values)', r.evaluateEntityChecks / 1e6, 'M checks/s', '—', null);
});

// --- 1. the organisation on PostgreSQL -------------------------------------------------------
let db: BenchDatabase | undefined;
let runtime: Runtime | undefined;
let org: SyntheticOrg | undefined;
const now = new Date();
const needsPg = ['rescore', 'incremental', 'api', 'gate'].some(want);
if (needsPg) {
  await step('setup', async () => {
    db = await createBenchDatabase();
    runtime = await openBenchRuntime(db.url);
    org = syntheticEntities(N);
    let t = performance.now();
    await runtime.store.entities.sync(org.entities);
    const syncMs = ms(t);
    t = performance.now();
    const facts = allSyntheticFacts(org, now);
    const w = await runtime.store.facts.write(facts);
    const factsMs = ms(t);
    t = performance.now();
    const client = pgClient(db.url);
    await client.connect();
    const counts = await insertHistory(client, {
      days: DAYS, today: now, checkIds: [...runtime.definitions.checks.keys()],
      onStep: (m) => log(`  history: ${m}`),
    });
    await client.query('analyze');
    await client.end();
    const historyMs = ms(t);
    details.setup = { components: N, teams: org.teams.length, facts: w.written, syncMs, factsWriteMs: factsMs, historyMs, historyRows: counts };
    add('setup: facts.write of every fact', w.written / (factsMs / 1000), 'facts/s', '—', null, `${w.written} facts in ${(factsMs / 1000).toFixed(1)} s`);
    add('setup: year of history (bulk SQL)', historyMs / 1000, 's', '—', null,
      `${counts.rollupEntityTrack.toLocaleString('en')} entity-track-days, ${counts.rollupCheck.toLocaleString('en')} check-days, ${counts.levelHistory.toLocaleString('en')} level changes`);
  });
}

// --- 3. full rescore ---------------------------------------------------------------------------
await step('rescore', async () => {
  if (!runtime) throw new Error('no PostgreSQL organisation');
  // First scoring yesterday (over the loaded history's last day), then a day later: today, which the API step reads.
  const r = await timeRescorePhases(runtime, new Date(now.getTime() - 86_400_000), (m) => log(`  rescore: ${m}`));
  const checks = r.entities * runtime.definitions.checks.size;
  details.rescore = { ...r, checks };
  add(`full rescore PostgreSQL, first ever (${r.entities} × 200, every row new)`, r.firstMs / 1000, 's', '< 10 s', r.firstMs < 10_000, `${Math.round(checks / (r.firstMs / 1000)).toLocaleString('en')} results/s`);
  add('full rescore PostgreSQL, next day (age_days rules: all re-scored)', r.nextDayMs / 1000, 's', '< 10 s', r.nextDayMs < 10_000, `${r.nextDayOutcomeChanges} outcome changes`);
  add('full rescore PostgreSQL, after a definitions reload', r.reloadMs / 1000, 's', '< 10 s', r.reloadMs < 10_000);
  add('full rescore PostgreSQL, steady (nothing changed)', r.steadyMs / 1000, 's', '< 10 s', r.steadyMs < 10_000);
});

// --- 4. incremental rescore of one entity after a fact change ---------------------------------
await step('incremental', async () => {
  if (!runtime || !org) throw new Error('no PostgreSQL organisation');
  const iterations = 200;
  const rescoreMs: number[] = [];
  const totalMs: number[] = [];
  for (let i = 0; i < iterations + 10; i++) {
    const idx = (i * 7919) % org.components.length;
    const c = org.components[idx];
    const at = new Date(now.getTime() + 120_000 + i * 1000);
    const fact = syntheticFacts(c.ref, 1000 + idx, at, i + 1)[2]; // synth.ci with shifted numbers
    const t0 = performance.now();
    await runtime.store.facts.write([fact]);
    const t1 = performance.now();
    await runtime.rescore({ refs: [c.ref], now: at });
    if (i >= 10) {
      rescoreMs.push(ms(t1));
      totalMs.push(ms(t0));
    }
  }
  details.incremental = { iterations, rescoreP50: percentile(rescoreMs, 50), rescoreP99: percentile(rescoreMs, 99), totalP50: percentile(totalMs, 50), totalP99: percentile(totalMs, 99) };
  add('incremental rescore of 1 entity: p50', percentile(rescoreMs, 50), 'ms', '—', null);
  add('incremental rescore of 1 entity: p99', percentile(rescoreMs, 99), 'ms', '< 50 ms', percentile(rescoreMs, 99) < 50);
  add('fact write + incremental rescore: p99', percentile(totalMs, 99), 'ms', '—', null);
});

// --- 8. dashboard API ----------------------------------------------------------------------------
await step('api', async () => {
  if (!runtime || !org) throw new Error('no PostgreSQL organisation');
  const app = await buildApp({ runtime });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/api/v1`;
  try {
    const checkIds = [...runtime.definitions.checks.keys()];
    const endpoints: { name: string; url: (i: number) => string }[] = [
      { name: 'overview (default 90 days, as the dashboard asks)', url: () => '/overview' },
      { name: 'overview ?days=365', url: () => '/overview?days=365' },
      { name: 'team', url: (i) => `/teams/${org!.teams[i % org!.teams.length].split('/')[1]}` },
      { name: 'team trend', url: (i) => `/teams/${org!.teams[i % org!.teams.length].split('/')[1]}/trend?days=365` },
      { name: 'check', url: (i) => `/checks/${checkIds[(i * 13) % checkIds.length]}?days=365` },
      { name: 'component', url: (i) => `/entities/component/default/${org!.components[(i * 101) % org!.components.length].entity.metadata.name}` },
      { name: 'component history', url: (i) => `/entities/component/default/${org!.components[(i * 101) % org!.components.length].entity.metadata.name}/history?days=365` },
    ];
    const results: Record<string, unknown> = {};
    for (const ep of endpoints) {
      const sample: number[] = [];
      const n = quick ? 20 : 40;
      const budget = performance.now() + 15_000; // slow endpoints: at least 10 samples, then stop at 15 s
      for (let i = 0; i < n + 3 && (i < 13 || performance.now() < budget); i++) {
        const t = performance.now();
        const res = await fetch(base + ep.url(i));
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`${ep.url(i)} answered ${res.status}`);
        if (i >= 3) sample.push(ms(t));
      }
      const p95 = percentile(sample, 95);
      results[ep.name] = { p50: percentile(sample, 50), p95, max: Math.max(...sample), n: sample.length };
      add(`API ${ep.name}: p95`, p95, 'ms', '< 300 ms', p95 < 300, `p50 ${percentile(sample, 50).toFixed(1)} ms`);
    }
    details.api = results;
  } finally {
    await app.close();
  }
});

// --- 5. gate latency under load -------------------------------------------------------------------
await step('gate', async () => {
  if (!runtime || !org) throw new Error('no PostgreSQL organisation');
  const t = generateToken();
  await runtime.store.tokens.create({ id: t.id, name: 'bench-gate', hash: t.hash, scope: 'admin', repos: [] }, 'bench');
  const app = await buildApp({ runtime });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const seconds = quick ? 10 : 30;
  try {
    // The load comes from a process of its own (bench/load-client.ts), as a CI runner's would:
    // first one request every 20 ms (the goal's 50 req/s), then autocannon's bursts of 10 at once.
    // Three seconds of the same load first, not counted: the first requests compile the gate's code.
    const load = (mode: 'steady' | 'bursts', from: number, duration = seconds) => runLoadClient({
      url: `http://127.0.0.1:${port}/api/v1/gate`, headers: { authorization: `Bearer ${t.token}` },
      bodies: gateBodies(org!, now, duration * 60, from), seconds: duration, rate: 50, connections: 10, mode,
    });
    await load('steady', 0, 3);
    const r = await load('steady', 200);
    const b = await load('bursts', 200 + seconds * 60);
    details.gate = { seconds, rate: 50, latency: r.latency, total: r.total, non2xx: r.non2xx, errors: r.errors, bursts: b };
    const ok = r.non2xx === 0 && r.errors === 0;
    add('gate POST /api/v1/gate @ 50 req/s, one every 20 ms: p50', r.latency.p50, 'ms', '< 20 ms', ok && r.latency.p50 < 20, `${r.total} requests, ${r.non2xx} non-2xx`);
    add('gate POST /api/v1/gate @ 50 req/s, one every 20 ms: p99', r.latency.p99, 'ms', '< 100 ms', ok && r.latency.p99 < 100);
    add('gate @ 50 req/s in bursts of 10 every 200 ms (autocannon): p50', b.latency.p50, 'ms', '—', null, `${b.total} requests, ${b.non2xx} non-2xx`);
    add('gate @ 50 req/s in bursts of 10 every 200 ms (autocannon): p99', b.latency.p99, 'ms', '—', null);
  } finally {
    await app.close();
  }
});

if (runtime) await runtime.close();
if (db) await db.drop();

// --- 3b. full rescore on PGlite ---------------------------------------------------------------------
await step('pglite', async () => {
  const size = quick ? 200 : 1000;
  const rt = await openBenchRuntime(undefined);
  try {
    const small = syntheticEntities(size);
    await rt.store.entities.sync(small.entities);
    await rt.store.facts.write(allSyntheticFacts(small, now));
    let t = performance.now();
    const cold = await rt.rescore({ now });
    const coldMs = ms(t);
    cold.evaluations.length = 0;
    t = performance.now();
    await rt.rescore({ now: new Date(now.getTime() + laterInTheHour(now)) });
    const warmMs = ms(t);
    details.pglite = { components: size, coldMs, warmMs };
    add(`full rescore PGlite, first (${size} × 200)`, coldMs / 1000, 's', '—', null);
    add(`full rescore PGlite, steady (${size} × 200)`, warmMs / 1000, 's', '—', null);
  } finally {
    await rt.close();
  }
});

// --- 7. fact history growth -----------------------------------------------------------------------
await step('growth', async () => {
  const r = await runFactGrowthBench({ components: N, days: 30, realSweeps: quick ? 2 : 3, log });
  details.growth = r;
  add('fact history: 30 days hourly, 2% change (facts + fact_history)', r.totalBytes / 1024 ** 2, 'MiB', '< 1 GiB', r.totalBytes < 1024 ** 3,
    `${r.historyRows.toLocaleString('en')} history rows; facts ${(r.factsBytes / 1024 ** 2).toFixed(0)} MiB`);
  add('fact sweep through facts.write (all facts)', r.sweepMs / 1000, 's/sweep', '—', null, `${r.factsPerSweep.toLocaleString('en')} facts, ${r.changedPerSweep.toLocaleString('en')} changed`);
});

// --- 6. GitHub sweep cost --------------------------------------------------------------------------
await step('sweep', async () => {
  const mod = await import('./github-sweep.js').catch(() => undefined);
  if (!mod?.runGithubSweepBench) throw new Error('bench/github-sweep.ts has no runGithubSweepBench');
  const r = await mod.runGithubSweepBench({ repos: quick ? 200 : 1000 });
  details.sweep = r;
  add(`GitHub sweep first (${r.repos} repos)`, r.first.requestsPerRepository, 'req/repo', '—', null, `${(r.first.wallMs / 1000).toFixed(1)} s`);
  add('GitHub sweep steady state', r.steady.requestsPerRepository, 'req/repo', '≤ 0.3', r.steady.requestsPerRepository <= 0.3, `${(r.steady.wallMs / 1000).toFixed(1)} s`);
});

// --- report -------------------------------------------------------------------------------------
let pgVersion = 'unreachable';
let pgSettings: Record<string, string> = {};
try {
  const info = await serverInfo();
  pgVersion = info.version;
  pgSettings = info.settings;
} catch {
  // reported as unreachable
}
const loadavg = (await import('node:os')).loadavg();
const machine = {
  cores: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(totalmem() / 1024 ** 3), node: process.version,
  postgres: pgVersion, postgresSettings: pgSettings, loadAverageAtEnd: loadavg.map((l) => Math.round(l * 10) / 10),
};
const fmt = (v: number | null) => (v === null ? '—' : v >= 100 ? v.toLocaleString('en', { maximumFractionDigits: 0 }) : String(v));
const table = [['figure', 'value', 'goal', 'result', 'note'], ...rows.map((r) => [r.figure, `${fmt(r.value)} ${r.unit}`.trim(), r.goal, r.pass === null ? '' : r.pass ? 'pass' : 'MISS', r.note ?? ''])];
const widths = table[0].map((_, c) => Math.max(...table.map((row) => row[c].length)));
const line = (row: string[]) => `| ${row.map((cell, c) => cell.padEnd(widths[c])).join(' | ')} |`;
console.log(line(table[0]));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const row of table.slice(1)) console.log(line(row));
console.log(`\nmachine: ${machine.cores} cores (${machine.cpu}), ${machine.memoryGiB} GiB, Node ${machine.node}, PostgreSQL ${machine.postgres}; load average at end ${machine.loadAverageAtEnd.join(' ')}`);
console.log(`size: ${N.toLocaleString('en')} components × 200 checks × ${DAYS} days${quick ? ' (--quick)' : ''}; total ${((Date.now() - started) / 1000).toFixed(0)} s`);
const out = join(here, 'results', 'latest.json');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify({ date: new Date().toISOString(), quick, components: N, machine, rows, details }, null, 2)}\n`);
console.log(`written: bench/results/latest.json`);
process.exit(0);
