/**
 * Server-side latency of POST /api/v1/gate on the example organisation (Larkspur Freight, the
 * starter checks and tracks, example facts), measured through app.inject so the figure is the
 * server's work — auth, store reads, two evaluations per entity, fact writes, verdict insert —
 * without network. Embedded PGlite unless a DATABASE_URL is given.
 *
 * Run alone: `npx tsx bench/gate-latency.ts`.
 */
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { buildApp } from '../server/src/app.js';
import { generateToken } from '../server/src/auth/index.js';
import { exampleFactFiles } from '../server/src/cli/shared.js';
import { loadConfig } from '../server/src/config.js';
import { Runtime } from '../server/src/scoring/index.js';
import { percentile } from './bench-store.js';

export interface GateLatencyBench {
  requests: number;
  dialect: string;
  repo: string;
  tracksPerRequest: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
}

export async function runGateLatencyBench({ requests = 300, warmup = 30, databaseUrl }: { requests?: number; warmup?: number; databaseUrl?: string } = {}): Promise<GateLatencyBench> {
  const config = loadConfig({}, { dataDir: 'memory://', databaseUrl, logLevel: 'silent', scheduler: false, publicUrl: 'https://yardstick.example.com' });
  const runtime = await Runtime.open(config);
  try {
    await runtime.syncCatalog();
    for (const file of exampleFactFiles()) await runtime.pushFactDocument(JSON.parse(await readFile(file, 'utf8')), file, 'seed');
    const repo = 'larkspur/payments-api';
    const t = generateToken();
    await runtime.store.tokens.create({ id: t.id, name: 'bench-ci', hash: t.hash, scope: 'ci', repos: [repo] }, 'bench');
    const app = await buildApp({ runtime });
    const headers = { authorization: `Bearer ${t.token}` };
    let tracks = 0;
    const once = async (i: number) => {
      const sha = benchSha(i);
      const started = performance.now();
      const res = await app.inject({
        method: 'POST', url: '/api/v1/gate', headers,
        payload: gateRequestBody(repo, sha, i),
      });
      const ms = performance.now() - started;
      if (res.statusCode !== 200) throw new Error(`gate answered ${res.statusCode}: ${res.body}`);
      tracks = (res.json() as { tracks: unknown[] }).tracks.length;
      return ms;
    };
    for (let i = 0; i < warmup; i++) await once(i);
    const sample: number[] = [];
    for (let i = 0; i < requests; i++) sample.push(await once(warmup + i));
    await app.close();
    const round = (n: number) => Math.round(n * 100) / 100;
    return {
      requests, dialect: runtime.store.dialect, repo, tracksPerRequest: tracks,
      p50Ms: round(percentile(sample, 50)), p90Ms: round(percentile(sample, 90)), p99Ms: round(percentile(sample, 99)),
      maxMs: round(Math.max(...sample)), meanMs: round(sample.reduce((a, b) => a + b, 0) / sample.length),
    };
  } finally {
    await runtime.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runGateLatencyBench().then((r) => console.log(JSON.stringify(r, null, 2)));
}

/** The i-th commit a latency bench asks about: distinct SHAs, so each request stores its own PR facts. */
export const benchSha = (i: number) => (0x1000000 + i).toString(16).padStart(40, 'a');

/** A realistic gate request: coverage and test report facts that vary between requests. */
export function gateRequestBody(repo: string, sha: string, i: number) {
  return {
    repo, sha, pullRequest: 1000 + (i % 50), baseRef: 'main',
    facts: [
      { id: 'ci.coverage', data: { line: 60 + (i % 40), branch: 55 } },
      { id: 'ci.tests', data: { total: 120, failed: i % 7 === 0 ? 1 : 0 } },
    ],
  };
}
