import { CronExpressionParser } from 'cron-parser';
import type { Collector, CollectorContext } from '../collectors/index.js';
import type { Runtime } from '../scoring/index.js';
import type { NewJob } from '../store/index.js';

/** Payloads of the job kinds the scheduler knows. */
export type JobPayload =
  | { kind: 'sweep'; collector: string; slot: string; batch?: number }
  | { kind: 'collect'; collector: string; refs: string[] }
  | { kind: 'refresh'; ref: string }
  | { kind: 'catalog-sync' }
  | { kind: 'maintenance' };

/** Entities per collect job: large enough for batched APIs (GraphQL reads 50–100 repos a request), small enough to retry cheaply. */
export const COLLECT_BATCH = 50;
const MAINTENANCE_CADENCE = '17 3 * * *';

/** Start of the cadence slot `now` falls in (the most recent cron time ≤ now), as an ISO string. */
export function currentSlot(cadence: string, now: Date): string {
  const expr = CronExpressionParser.parse(cadence, { currentDate: new Date(now.getTime() + 1), tz: 'UTC' });
  return expr.prev().toDate().toISOString();
}

/**
 * Enqueue what is due now: one `sweep` job per collector per cadence slot, the catalog sync and
 * the daily maintenance. Safe to call from many processes: dedupe keys make it idempotent.
 */
export async function planDueJobs(runtime: Runtime, now = new Date()): Promise<number> {
  const jobs: NewJob[] = [];
  const due = async (key: string) => !(await runtime.store.jobs.seen(key));
  for (const c of activeCollectors(runtime)) {
    const slot = currentSlot(c.cadence, now);
    const key = `sweep:${c.id}:${slot}`;
    if (await due(key)) jobs.push({ kind: 'sweep', dedupeKey: key, payload: { kind: 'sweep', collector: c.id, slot } });
  }
  const catalog = runtime.collectors.find((c) => c.id === 'catalog');
  if (catalog?.cadence) {
    const key = `catalog-sync:${currentSlot(catalog.cadence, now)}`;
    if (await due(key)) jobs.push({ kind: 'catalog-sync', dedupeKey: key, payload: { kind: 'catalog-sync' } });
  }
  const maintenanceKey = `maintenance:${currentSlot(MAINTENANCE_CADENCE, now)}`;
  if (await due(maintenanceKey)) jobs.push({ kind: 'maintenance', dedupeKey: maintenanceKey, payload: { kind: 'maintenance' } });
  return runtime.store.jobs.enqueue(jobs);
}

/** Enqueue a refresh of one entity (all its collectors, then a rescore). */
export function enqueueRefresh(runtime: Runtime, refs: string[]): Promise<number> {
  return runtime.store.jobs.enqueue(refs.map((ref) => ({ kind: 'refresh', dedupeKey: `refresh:${ref}`, payload: { kind: 'refresh', ref } })));
}

/** What a collector reads from `ctx.settings`: its own section of the config (`config.github`, …). */
export function collectorSettings(runtime: Runtime, collectorId: string): Record<string, unknown> {
  const section = (runtime.config as unknown as Record<string, unknown>)[collectorId];
  return section && typeof section === 'object' ? { ...(section as Record<string, unknown>) } : {};
}

/** Collectors the scheduler runs: swept on a cadence and set up (token, URL) in the config. */
export function activeCollectors(runtime: Runtime): (Collector & { cadence: string })[] {
  return runtime.collectors.filter((c): c is Collector & { cadence: string } =>
    Boolean(c.cadence) && c.id !== 'catalog' && (c.enabled?.(collectorSettings(runtime, c.id)) ?? true));
}

export interface JobEnv {
  runtime: Runtime;
  signal: AbortSignal;
  log: CollectorContext['log'];
  /** Runs a collector call under that collector's concurrency limit. */
  limit<T>(collector: string, task: () => Promise<T>): Promise<T>;
}

/** Run a collector for some entities, store its facts, record failures on the facts it owns, rescore. */
export async function collectFor(env: JobEnv, collector: Collector, refs: string[]): Promise<{ facts: number; errors: number }> {
  const { runtime } = env;
  const entities = (await runtime.store.entities.list({ refs })).filter((e) => collector.appliesTo(e.entity));
  if (entities.length === 0) return { facts: 0, errors: 0 };
  const cache = runtime.store.httpCache;
  const ctx: CollectorContext = {
    entities: entities.map((e) => ({ ref: e.ref, entity: e.entity })),
    settings: collectorSettings(runtime, collector.id),
    signal: env.signal,
    log: env.log,
    cache: { get: (k) => cache.get(`${collector.id}:${k}`), set: (k, v) => cache.set(`${collector.id}:${k}`, v) },
  };
  const ownFacts = Object.keys(collector.factSchemas);
  let run;
  try {
    run = await env.limit(collector.id, () => collector.collect(ctx));
  } catch (err) {
    // The whole run failed: the last good facts stay, marked with the error; the job is retried.
    const message = err instanceof Error ? err.message : String(err);
    for (const e of entities) await runtime.store.facts.recordError(e.ref, ownFacts, message);
    throw err;
  }
  const valid = run.facts.filter((f) => ownFacts.includes(f.id));
  await runtime.store.facts.write(valid.map((f) => ({ entityRef: f.entityRef, id: f.id, data: f.data, collectedAt: f.collectedAt, source: collector.id })));
  for (const e of run.errors) await runtime.store.facts.recordError(e.entityRef, e.factId ? [e.factId] : ownFacts, e.message);
  await runtime.rescore({ refs: entities.map((e) => e.ref) });
  return { facts: valid.length, errors: run.errors.length };
}

/** Execute one job. Throws to have it retried. */
export async function runJob(env: JobEnv, payload: JobPayload): Promise<void> {
  const { runtime } = env;
  switch (payload.kind) {
    case 'sweep': {
      const collector = runtime.collectors.find((c) => c.id === payload.collector);
      if (!collector) return;
      const refs = (await runtime.store.entities.list()).filter((e) => collector.appliesTo(e.entity)).map((e) => e.ref);
      const jobs: NewJob[] = [];
      const batch = payload.batch ?? COLLECT_BATCH;
      for (let i = 0; i < refs.length; i += batch) {
        jobs.push({
          kind: 'collect',
          dedupeKey: `collect:${collector.id}:${payload.slot}:${i / batch}`,
          payload: { kind: 'collect', collector: collector.id, refs: refs.slice(i, i + batch) },
        });
      }
      await runtime.store.jobs.enqueue(jobs);
      return;
    }
    case 'collect': {
      const collector = runtime.collectors.find((c) => c.id === payload.collector);
      if (collector) await collectFor(env, collector, payload.refs);
      return;
    }
    case 'refresh': {
      await runtime.syncCatalog(env.signal);
      const entity = await runtime.store.entities.get(payload.ref);
      if (!entity) return;
      for (const c of activeCollectors(runtime)) {
        if (c.appliesTo(entity.entity)) await collectFor(env, c, [payload.ref]);
      }
      await runtime.rescore({ refs: [payload.ref] });
      return;
    }
    case 'catalog-sync': {
      const synced = await runtime.syncCatalog(env.signal);
      for (const p of synced.problems) env.log.warn(`catalog: ${p.file}: ${p.message}`);
      await runtime.rescore();
      return;
    }
    case 'maintenance': {
      const days = runtime.config.historyRetentionDays;
      const before = new Date(Date.now() - days * 86_400_000);
      const pruned = await runtime.store.facts.pruneHistory(before);
      const scoped = await runtime.store.facts.pruneScoped(new Date(Date.now() - 30 * 86_400_000));
      const jobs = await runtime.store.jobs.prune(new Date(Date.now() - 7 * 86_400_000));
      // A daily full rescore also lets expired exemptions and newly stale facts take effect.
      await runtime.rescore();
      // The live per-check counts against the results they count: a drift would be a bug, said loudly and put right.
      const drift = await runtime.store.results.reconcileCheckCounts();
      if (drift.length > 0) env.log.warn('per-check counts had drifted from the stored results; put right', { pairs: drift.length, first: drift.slice(0, 10) });
      env.log.info('maintenance done', { prunedHistory: pruned, prunedPullRequestFacts: scoped, prunedJobs: jobs });
      return;
    }
  }
}
