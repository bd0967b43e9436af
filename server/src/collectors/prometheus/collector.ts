import PQueue from 'p-queue';
import type { Entity } from '../../engine/types.js';
import { ANNOTATIONS } from '../catalog/collector.js';
import type { CollectedFact, CollectionError, Collector, CollectorContext } from '../collector.js';
import { PrometheusError, queryInstant } from './prometheus-client.js';
import { DEFAULT_METRICS, fillTemplate, QUERY_TEMPLATES, type MetricNames, type SloFigure } from './queries.js';
import { prometheusSloSchema, type PrometheusSlo } from './schema.js';
import { jobSelector, normalizeSelector } from './selector.js';

export const PROMETHEUS_SLO = 'prometheus.slo';

/**
 * Settings of the prometheus collector (`ctx.settings`). Only `url` is needed; it comes from
 * `PROMETHEUS_URL` (`config.prometheus.url`).
 */
export interface PrometheusSettings {
  /** Base URL of Prometheus or a compatible API (Thanos, Mimir, VictoriaMetrics). */
  url?: string;
  /** Per-query timeout (default 10 000 ms). */
  timeoutMs?: number;
  /** Queries in flight at once (default 4). */
  concurrency?: number;
  /** Extra request headers, e.g. `{ authorization: 'Bearer …' }` for a hosted Prometheus. */
  headers?: Record<string, string>;
  /** Metric names and the failed-request matcher (defaults: {@link DEFAULT_METRICS}). */
  metrics?: Partial<MetricNames>;
  /** Replace some query templates (placeholders as in {@link QUERY_TEMPLATES}). */
  queries?: Partial<Record<SloFigure, string>>;
}

/**
 * The entity's label selector: `prometheus.io/selector` as written, else `prometheus.io/job`
 * as `job="<value>"`. Throws when the annotation is not a plain selector.
 */
export function selectorOf(entity: Entity): string | undefined {
  const annotations = entity.metadata.annotations ?? {};
  const selector = annotations[ANNOTATIONS.prometheusSelector]?.trim();
  if (selector) {
    try {
      return normalizeSelector(selector);
    } catch (err) {
      throw new Error(`annotation ${ANNOTATIONS.prometheusSelector}: ${(err as Error).message}`);
    }
  }
  const job = annotations[ANNOTATIONS.prometheusJob]?.trim();
  return job ? jobSelector(job) : undefined;
}

function readSettings(raw: Record<string, unknown>): PrometheusSettings {
  const s = raw as PrometheusSettings;
  if (s.url !== undefined && (typeof s.url !== 'string' || !/^https?:\/\//.test(s.url))) throw new Error(`settings.url must be an http(s) URL, got ${JSON.stringify(s.url)}`);
  for (const [name, v] of Object.entries(s.metrics ?? {})) {
    if (typeof v !== 'string' || v.trim() === '') throw new Error(`settings.metrics.${name} must be a non-empty string`);
  }
  for (const [name, v] of Object.entries(s.queries ?? {})) {
    if (!Object.hasOwn(QUERY_TEMPLATES, name)) throw new Error(`settings.queries.${name}: unknown figure (known: ${Object.keys(QUERY_TEMPLATES).join(', ')})`);
    if (typeof v !== 'string' || !v.includes('{{selector}}')) throw new Error(`settings.queries.${name} must be a PromQL template using {{selector}}`);
  }
  return s;
}

/**
 * The `prometheus` collector: SLO figures (`prometheus.slo`) per entity from instant queries
 * on the entity's label selector. No data is null, never 0; a failed query is an error entry
 * and the entity's last good fact is kept.
 *
 * @example
 * ```ts
 * const run = await prometheusCollector.collect({ ...ctx, settings: { url: 'http://prometheus:9090' } });
 * run.facts[0]; // { id: 'prometheus.slo', data: { availability30d: 99.58, errorRatio1h: 0.05, errorRatio30d: 0.0042, latencyP99Seconds: 0.83333 } }
 * ```
 */
export const prometheusCollector: Collector = {
  id: 'prometheus',
  version: 1,
  factSchemas: { [PROMETHEUS_SLO]: prometheusSloSchema },
  // Swept every 15 minutes; two hours without a fresh value (eight missed sweeps) is stale.
  maxAgeSeconds: { [PROMETHEUS_SLO]: 2 * 3600 },
  cadence: '*/15 * * * *',
  enabled: (s) => typeof s.url === 'string' && s.url.length > 0,
  appliesTo: (entity) => {
    const a = entity.metadata.annotations ?? {};
    return Boolean(a[ANNOTATIONS.prometheusSelector]?.trim() || a[ANNOTATIONS.prometheusJob]?.trim());
  },
  async collect(ctx: CollectorContext) {
    const facts: CollectedFact[] = [];
    const errors: CollectionError[] = [];
    const failAll = (message: string) => ({ facts, errors: ctx.entities.map(({ ref }) => ({ entityRef: ref, factId: PROMETHEUS_SLO, message })) });
    let settings: PrometheusSettings;
    try {
      settings = readSettings(ctx.settings);
    } catch (err) {
      return failAll(`prometheus collector: ${(err as Error).message}`);
    }
    if (!settings.url) return failAll('prometheus collector: no Prometheus URL configured (PROMETHEUS_URL)');
    const url = settings.url;
    const metrics: MetricNames = { ...DEFAULT_METRICS, ...settings.metrics };
    const templates = { ...QUERY_TEMPLATES, ...settings.queries };
    const queue = new PQueue({ concurrency: settings.concurrency ?? 4 });
    // Once Prometheus is unreachable, every further query would wait for the same timeout.
    let down: string | undefined;

    const collectOne = async (ref: string, entity: Entity) => {
      let selector: string | undefined;
      try {
        selector = selectorOf(entity);
      } catch (err) {
        errors.push({ entityRef: ref, factId: PROMETHEUS_SLO, message: (err as Error).message });
        return;
      }
      if (!selector) return;
      const queriedAt = new Date();
      const figures = Object.keys(QUERY_TEMPLATES) as SloFigure[];
      try {
        const values = await Promise.all(
          figures.map((figure) =>
            queue.add(async () => {
              if (down) throw new PrometheusError(down, true);
              if (ctx.signal.aborted) throw new PrometheusError('collection aborted');
              const query = fillTemplate(templates[figure], { ...metrics, selector: selector! });
              try {
                const result = await queryInstant(url, query, { signal: ctx.signal, timeoutMs: settings.timeoutMs, time: queriedAt, headers: settings.headers });
                for (const w of result.warnings) ctx.log.warn(`prometheus: warning for ${ref} ${figure}: ${w}`, { entityRef: ref, query });
                return result.value;
              } catch (err) {
                if (err instanceof PrometheusError && err.unreachable) down ??= err.message;
                throw err;
              }
            }),
          ),
        );
        // queriedAt is left out on purpose: the fact's collectedAt holds that time, and a value that
        // changes on every sweep would write a history row every 15 minutes.
        const data = Object.fromEntries(figures.map((f, i) => [f, round(values[i])])) as unknown as PrometheusSlo;
        facts.push({ entityRef: ref, id: PROMETHEUS_SLO, data, collectedAt: queriedAt });
      } catch (err) {
        errors.push({ entityRef: ref, factId: PROMETHEUS_SLO, message: `selector ${selector}: ${(err as Error).message}` });
      }
    };

    await Promise.all(ctx.entities.map(({ ref, entity }) => collectOne(ref, entity)));
    return { facts, errors };
  },
};

/** Five significant digits: enough for 99.995 % and a 0.1 ms p99, few enough that a steady service's fact stays unchanged. */
function round(value: number | null): number | null {
  return value === null ? null : Number(value.toPrecision(5));
}
