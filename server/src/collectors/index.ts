/**
 * Every collector, listed once. Adding a collector is one folder and one line here.
 */
import { catalogCollector } from './catalog/collector.js';
import { ciCollector } from './ci/collector.js';
import type { Collector, JsonSchema } from './collector.js';
import { githubCollector } from './github/collector.js';
import { pagerdutyCollector } from './pagerduty/collector.js';
import { prometheusCollector } from './prometheus/collector.js';

export const collectors: readonly Collector[] = [catalogCollector, ciCollector, githubCollector, prometheusCollector, pagerdutyCollector];

export type { Collector, CollectorContext, CollectorRun, CollectedFact, CollectionError, JsonSchema } from './collector.js';

/** Every fact id any collector declares, with its JSON Schema. Checks are validated against these. */
export function factSchemas(list: readonly Collector[] = collectors): Record<string, JsonSchema> {
  const out: Record<string, JsonSchema> = {};
  for (const c of list) Object.assign(out, c.factSchemas);
  return out;
}

/** Maximum age in seconds of each fact id (past it the fact is stale). */
export function factMaxAges(list: readonly Collector[] = collectors): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of list) Object.assign(out, c.maxAgeSeconds);
  return out;
}

export function collectorOf(factId: string, list: readonly Collector[] = collectors): Collector | undefined {
  return list.find((c) => Object.hasOwn(c.factSchemas, factId));
}
