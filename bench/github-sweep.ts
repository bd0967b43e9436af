// GitHub collector cost: sweep N synthetic repositories on the fake GitHub twice — cold (empty
// ETag cache) and steady state (nothing changed) — and report counted requests per repository
// (network requests that were not 304) and wall time. Goal: steady state ≤ 0.3 per repository.
// Run: npx tsx bench/github-sweep.ts [repos]
import { pathToFileURL } from 'node:url';
import { createGithubCollector, type GithubSweepStats } from '../server/src/collectors/github/collector.js';
import type { CollectorContext } from '../server/src/collectors/collector.js';
import { seededSlug, startFakeGithub } from '../test/fake-github/server.js';

export interface SweepFigures {
  requestsPerRepository: number;
  counted: number;
  notModified: number;
  graphql: number;
  rest: number;
  facts: number;
  errors: number;
  wallMs: number;
}

export interface GithubSweepBench {
  repos: number;
  graphqlBatchSize: number;
  first: SweepFigures;
  steady: SweepFigures;
}

/** Two sweeps over `repos` repositories on a fresh fake GitHub; returns the figures of each. */
export async function runGithubSweepBench({ repos = 1000, graphqlBatchSize = 100 }: { repos?: number; graphqlBatchSize?: number } = {}): Promise<GithubSweepBench> {
  // 15,000 requests/h is a GitHub App installation's quota on Enterprise Cloud; with a PAT's
  // 5,000 (minus the reserve) a cold sweep of 1,000 repositories spreads over two windows.
  const gh = await startFakeGithub({ repos, rateLimit: 15_000 });
  try {
    const map = new Map<string, unknown>();
    const entities = Array.from({ length: repos }, (_, i) => {
      const slug = seededSlug(i);
      const name = slug.split('/')[1];
      return {
        ref: `component:default/${name}`,
        entity: { apiVersion: 'backstage.io/v1alpha1', kind: 'Component', metadata: { name, annotations: { 'github.com/project-slug': slug } }, spec: { type: 'service' } },
      };
    });
    const ctx: CollectorContext = {
      entities,
      // A token unique to this run: its own budget and limiter group.
      settings: { github: { apiUrl: gh.url, token: `bench-token-${process.pid}-${Date.now()}`, graphqlBatchSize, concurrency: 16 } },
      signal: new AbortController().signal,
      log: { info: () => {}, warn: () => {} },
      cache: { get: async (k) => map.get(k), set: async (k, v) => void map.set(k, v) },
    };
    const collector = createGithubCollector();
    const sweep = async (): Promise<SweepFigures> => {
      const t0 = performance.now();
      const run = await collector.collect(ctx);
      const s = collector.lastRunStats as GithubSweepStats;
      return {
        requestsPerRepository: s.requestsPerRepository,
        counted: s.counted,
        notModified: s.notModified,
        graphql: s.graphql,
        rest: s.rest,
        facts: run.facts.length,
        errors: run.errors.length,
        wallMs: Math.round(performance.now() - t0),
      };
    };
    const first = await sweep();
    const steady = await sweep();
    return { repos, graphqlBatchSize, first, steady };
  } finally {
    await gh.close();
  }
}

function print(r: GithubSweepBench): void {
  const row = (label: string, f: SweepFigures) =>
    console.log(
      `${label.padEnd(8)} ${f.requestsPerRepository.toFixed(3).padStart(7)} req/repo  counted ${String(f.counted).padStart(5)} ` +
        `(graphql ${f.graphql}, rest ${f.rest})  304s ${String(f.notModified).padStart(5)}  facts ${f.facts}  errors ${f.errors}  ${(f.wallMs / 1000).toFixed(1)} s`,
    );
  console.log(`GitHub sweep over ${r.repos} repositories (GraphQL batches of ${r.graphqlBatchSize}):`);
  row('first', r.first);
  row('steady', r.steady);
  console.log(`steady state goal ≤ 0.3 req/repo: ${r.steady.requestsPerRepository <= 0.3 ? 'met' : 'NOT met'}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const repos = Number(process.argv[2] ?? 1000);
  print(await runGithubSweepBench({ repos }));
}
