/**
 * Shared pieces of the fault suites: a Runtime on an in-memory store whose collectors point at
 * fakes, entities linked to them, and the job path (runJob → collectFor → facts → rescore) the
 * scheduler takes in production.
 */
import { collectors as allCollectors, type Collector, type CollectorContext } from '../../server/src/collectors/index.js';
import { loadConfig, type ConfigOverrides } from '../../server/src/config.js';
import type { Entity } from '../../server/src/engine/types.js';
import { runJob, type JobEnv } from '../../server/src/scheduler/index.js';
import { Runtime } from '../../server/src/scoring/index.js';
import { openStore, type Store } from '../../server/src/store/index.js';

export const DAY_MS = 86_400_000;

/** Wrap a collector so each run gets extra settings (short retries and timeouts for tests). */
export function withSettings(collector: Collector, extra: Record<string, unknown>): Collector {
  return { ...collector, collect: (ctx: CollectorContext) => collector.collect({ ...ctx, settings: { ...ctx.settings, ...extra } }) };
}

export interface FaultRuntime {
  runtime: Runtime;
  store: Store;
  env: JobEnv;
  warnings: string[];
  /** Run one `collect` job for these refs through the scheduler's job code. Resolves to the thrown error, if any. */
  collect(collector: string, refs: string[]): Promise<Error | undefined>;
  /**
   * Rescore everything as if it were `now`, with every fact of `ref` outside `factIds` re-stamped
   * as collected at `now`: only the facts under test can have gone stale.
   */
  rescoreAt(now: Date, ref: string, factIds: string[]): Promise<void>;
  /** Outcome of each check reading one of `factIds`, for one entity. */
  outcomes(ref: string, factIds: string[]): Promise<Record<string, string>>;
  close(): Promise<void>;
}

/** A component linked to GitHub, PagerDuty and Prometheus. */
export function linkedEntity(name: string, annotations: Record<string, string>): { ref: string; entity: Entity; owner: string; system: null } {
  return {
    ref: `component:default/${name}`,
    owner: 'group:default/team-a',
    system: null,
    entity: {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name, description: `${name} service`, annotations },
      spec: { type: 'service', lifecycle: 'production', owner: 'group:default/team-a' },
    },
  };
}

/**
 * Open a Runtime on the repository's checks and tracks, with `overrides` wrapping collectors by id.
 * The config's connection sections (github, pagerduty, prometheus) come from `config`.
 */
export async function openFaultRuntime(
  config: ConfigOverrides,
  entities: ReturnType<typeof linkedEntity>[],
  extraSettings: Record<string, Record<string, unknown>> = {},
): Promise<FaultRuntime> {
  const store = await openStore({ dataDir: 'memory://' });
  const list = allCollectors.map((c) => (extraSettings[c.id] ? withSettings(c, extraSettings[c.id]) : c));
  const runtime = await Runtime.open(loadConfig({}, { catalogPaths: [], webDir: 'test-output/no-web', logLevel: 'silent', ...config }), { store, collectors: list });
  await store.entities.sync(entities);
  const warnings: string[] = [];
  const env: JobEnv = {
    runtime,
    signal: new AbortController().signal,
    log: { info: () => {}, warn: (m, extra) => warnings.push(`${m} ${extra ? JSON.stringify(extra) : ''}`) },
    limit: (_c, task) => task(),
  };
  return {
    runtime, store, env, warnings,
    async collect(collector, refs) {
      try {
        await runJob(env, { kind: 'collect', collector, refs });
        return undefined;
      } catch (err) {
        return err as Error;
      }
    },
    async rescoreAt(now, ref, factIds) {
      const others = ((await store.facts.latest([ref])).get(ref) ?? []).filter((f) => !factIds.includes(f.id));
      await store.facts.write(others.map((f) => ({ entityRef: ref, id: f.id, data: f.data, source: f.source, collectedAt: now })));
      await runtime.rescore({ now });
    },
    async outcomes(ref, factIds) {
      const reading = new Set([...runtime.definitions.checks.values()].filter((c) => c.definition.facts.some((f) => factIds.includes(f))).map((c) => c.definition.id));
      const rows = await store.results.resultsFor(ref);
      return Object.fromEntries(rows.filter((r) => reading.has(r.check_id)).map((r) => [r.check_id, r.outcome]));
    },
    close: () => store.close(),
  };
}

/** Each check's outcome in `after`, for the checks that passed in `before`. */
export function formerPasses(before: Record<string, string>, after: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(before).filter(([, o]) => o === 'pass').map(([id]) => [id, after[id]]));
}
