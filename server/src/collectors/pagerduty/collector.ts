import PQueue from 'p-queue';
import { ANNOTATIONS } from '../catalog/collector.js';
import type { CollectedFact, CollectionError, Collector, CollectorContext } from '../collector.js';
import { type PagerDutyApi, PagerDutyClient, PagerDutyError } from './pagerduty-client.js';
import { missingService, pagerdutyServiceSchema, type PagerDutyServiceFact } from './schema.js';

export const PAGERDUTY_SERVICE = 'pagerduty.service';

/** Settings of the pagerduty collector (`ctx.settings`); `apiUrl` and `token` come from `config.pagerduty`. */
export interface PagerDutySettings {
  /** REST API base (default https://api.pagerduty.com; https://api.eu.pagerduty.com for EU accounts). */
  apiUrl?: string;
  /** A read-only REST API key. */
  token?: string;
  /** Per-request timeout (default 15 000 ms). */
  timeoutMs?: number;
  /** Requests in flight at once (default 4; PagerDuty allows about 900 a minute per key). */
  concurrency?: number;
  /** How many of the most recent acknowledged-or-resolved incidents the MTTA reads log entries of (default 25). */
  mttaSampleSize?: number;
  /** Longest Retry-After honoured on a 429 (default 60 000 ms). */
  maxRetryAfterMs?: number;
}

interface Reference {
  id: string;
  type: string;
  summary?: string;
}
interface ServiceBody {
  service: {
    id: string;
    name?: string;
    summary?: string;
    status?: string;
    html_url?: string;
    escalation_policy?: Reference & { escalation_rules?: unknown[] };
  };
}
interface Oncall {
  escalation_level?: number;
  user?: Reference | null;
}
interface Incident {
  id: string;
  status: 'triggered' | 'acknowledged' | 'resolved';
  urgency?: string;
  created_at: string;
  last_status_change_at?: string;
}
interface LogEntry {
  type: string;
  created_at: string;
}

const WINDOW_DAYS = 30;
const STATUSES = ['triggered', 'acknowledged', 'resolved'];
const minutesBetween = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 60_000;
const mean = (xs: number[]) => (xs.length === 0 ? null : Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 10) / 10);

/**
 * Collect one service's fact. A 404 on the service is a fact (`exists: false`), not an error.
 *
 * MTTR: mean of `last_status_change_at − created_at` over resolved incidents created in the
 * window (resolution is final in PagerDuty, so a resolved incident's last status change is its
 * resolution). MTTA: mean of first `acknowledge_log_entry − created_at` over the
 * `mttaSampleSize` most recent incidents that are acknowledged or resolved, read from each
 * incident's overview log entries; incidents never acknowledged (auto-resolved) are left out,
 * as PagerDuty's own analytics do. Both are null when there is nothing to average.
 */
export async function collectService(client: PagerDutyApi, serviceId: string, options: { now?: Date; mttaSampleSize?: number } = {}): Promise<PagerDutyServiceFact> {
  const body = await client.get<ServiceBody>(`/services/${encodeURIComponent(serviceId)}`, { 'include[]': ['escalation_policies'] });
  if (!body) return missingService(serviceId);
  const service = body.service;
  const policyRef = service.escalation_policy;

  let rules = policyRef?.escalation_rules;
  if (policyRef && !Array.isArray(rules)) {
    const policy = await client.get<{ escalation_policy: { escalation_rules?: unknown[] } }>(`/escalation_policies/${encodeURIComponent(policyRef.id)}`);
    rules = policy?.escalation_policy.escalation_rules;
  }

  let onCallNow: boolean | null = null;
  let onCallUsers: number | null = null;
  if (policyRef) {
    const { items } = await client.list<Oncall>('/oncalls', 'oncalls', { 'escalation_policy_ids[]': [policyRef.id] });
    const withUser = items.filter((o) => o.user?.id);
    onCallNow = withUser.some((o) => o.escalation_level === 1);
    onCallUsers = new Set(withUser.map((o) => o.user!.id)).size;
  }

  const until = options.now ?? new Date();
  const since = new Date(until.getTime() - WINDOW_DAYS * 86_400_000);
  const { items: incidents } = await client.list<Incident>('/incidents', 'incidents', {
    'service_ids[]': [serviceId],
    'statuses[]': STATUSES,
    since: since.toISOString(),
    until: until.toISOString(),
    time_zone: 'UTC',
  });
  const resolved = incidents.filter((i) => i.status === 'resolved' && i.last_status_change_at);

  const sample = incidents
    .filter((i) => i.status !== 'triggered')
    .sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at))
    .slice(0, options.mttaSampleSize ?? 25);
  const ackMinutes: number[] = [];
  for (const incident of sample) {
    const { items: entries } = await client.list<LogEntry>(`/incidents/${encodeURIComponent(incident.id)}/log_entries`, 'log_entries', { is_overview: 'true', time_zone: 'UTC' });
    const acks = entries.filter((e) => e.type === 'acknowledge_log_entry').map((e) => Date.parse(e.created_at));
    if (acks.length > 0) ackMinutes.push((Math.min(...acks) - Date.parse(incident.created_at)) / 60_000);
  }

  return {
    exists: true,
    serviceId,
    name: service.name ?? service.summary ?? null,
    status: service.status ?? null,
    htmlUrl: service.html_url ?? null,
    escalationPolicyId: policyRef?.id ?? null,
    escalationLevels: Array.isArray(rules) ? rules.length : null,
    onCallNow,
    onCallUsers,
    incidents30d: incidents.length,
    highUrgencyIncidents30d: incidents.filter((i) => i.urgency === 'high').length,
    openIncidents: incidents.length - resolved.length,
    mttaMinutes: mean(ackMinutes.map((m) => Math.max(0, m))),
    mttaSample: ackMinutes.length,
    mttrMinutes: mean(resolved.map((i) => Math.max(0, minutesBetween(i.created_at, i.last_status_change_at!)))),
    resolvedIncidents30d: resolved.length,
  };
}

/**
 * The `pagerduty` collector: `pagerduty.service` for every entity with a
 * `pagerduty.com/service-id` annotation, through PagerDuty's REST API v2.
 *
 * @example
 * ```ts
 * const run = await pagerdutyCollector.collect({ ...ctx, settings: { apiUrl: 'https://api.pagerduty.com', token } });
 * run.facts[0].data; // { exists: true, serviceId: 'PB4N2QX', escalationLevels: 2, onCallNow: true, incidents30d: 3, mttaMinutes: 4.5, … }
 * ```
 */
export const pagerdutyCollector: Collector = {
  id: 'pagerduty',
  version: 1,
  factSchemas: { [PAGERDUTY_SERVICE]: pagerdutyServiceSchema },
  // Hourly sweeps; a day without a fresh value is stale (on-call state changes within a day).
  maxAgeSeconds: { [PAGERDUTY_SERVICE]: 86_400 },
  cadence: '7 * * * *',
  enabled: (s) => typeof s.token === 'string' && s.token.length > 0,
  appliesTo: (entity) => Boolean(entity.metadata.annotations?.[ANNOTATIONS.pagerDutyServiceId]?.trim()),
  async collect(ctx: CollectorContext) {
    const facts: CollectedFact[] = [];
    const errors: CollectionError[] = [];
    const settings = ctx.settings as PagerDutySettings;
    const failAll = (message: string) => ({ facts, errors: ctx.entities.map(({ ref }) => ({ entityRef: ref, factId: PAGERDUTY_SERVICE, message })) });
    const apiUrl = settings.apiUrl ?? 'https://api.pagerduty.com';
    if (!/^https?:\/\//.test(apiUrl)) return failAll(`pagerduty collector: settings.apiUrl must be an http(s) URL, got ${JSON.stringify(apiUrl)}`);
    if (!settings.token) return failAll('pagerduty collector: no API token configured (PAGERDUTY_TOKEN)');

    const queue = new PQueue({ concurrency: settings.concurrency ?? 4 });
    const raw = new PagerDutyClient({ apiUrl, token: settings.token, timeoutMs: settings.timeoutMs, maxRetryAfterMs: settings.maxRetryAfterMs, signal: ctx.signal });
    // A bad token or an unreachable API fails every request alike: stop asking after the first.
    let fatal: string | undefined;
    const guarded = async <T>(fn: () => Promise<T>): Promise<T> =>
      queue.add(async () => {
        if (fatal) throw new PagerDutyError(fatal, undefined, true);
        if (ctx.signal.aborted) throw new PagerDutyError('collection aborted');
        try {
          return await fn();
        } catch (err) {
          if (err instanceof PagerDutyError && err.fatal) fatal ??= err.message;
          throw err;
        }
      }) as Promise<T>;
    const client: PagerDutyApi = {
      get: <T>(path: string, query?: Record<string, string | string[]>) => guarded(() => raw.get<T>(path, query)),
      list: <T>(path: string, name: string, query?: Record<string, string | string[]>) => guarded(() => raw.list<T>(path, name, query)),
    };

    await Promise.all(
      ctx.entities.map(async ({ ref, entity }) => {
        const serviceId = entity.metadata.annotations?.[ANNOTATIONS.pagerDutyServiceId]?.trim();
        if (!serviceId) return;
        if (!/^[A-Z0-9]{1,20}$/i.test(serviceId)) {
          errors.push({ entityRef: ref, factId: PAGERDUTY_SERVICE, message: `annotation ${ANNOTATIONS.pagerDutyServiceId}: "${serviceId}" is not a PagerDuty service id (like PB4N2QX)` });
          return;
        }
        try {
          const data = await collectService(client, serviceId, { mttaSampleSize: settings.mttaSampleSize });
          facts.push({ entityRef: ref, id: PAGERDUTY_SERVICE, data, collectedAt: new Date() });
        } catch (err) {
          errors.push({ entityRef: ref, factId: PAGERDUTY_SERVICE, message: `service ${serviceId}: ${(err as Error).message}` });
        }
      }),
    );
    return { facts, errors };
  },
};
