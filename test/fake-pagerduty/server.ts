/**
 * A local stand-in for PagerDuty's REST API v2, following its documented shapes: objects and
 * references carry `id`, `type`, `summary`, `self` and `html_url`; lists come in
 * `{ <name>: [...], limit, offset, more, total }` envelopes with offset paging; errors are
 * `{ error: { message, code } }`. Fault switches make it down, failing, slow or rate-limited.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface FakeUser {
  id: string;
  name: string;
}
export interface FakeEscalationPolicy {
  id: string;
  name: string;
  /** Each level's targets, by user id. */
  levels: string[][];
  /** Users on call now, by level (1-based index = level). */
  onCall: Record<number, string[]>;
}
export interface FakeService {
  id: string;
  name: string;
  status?: 'active' | 'warning' | 'critical' | 'maintenance' | 'disabled';
  escalationPolicyId: string;
}
export interface FakeIncident {
  id: string;
  serviceId: string;
  status: 'triggered' | 'acknowledged' | 'resolved';
  urgency?: 'high' | 'low';
  createdAt: string;
  /** When it was first acknowledged (a log entry), if ever. */
  acknowledgedAt?: string;
  /** When it was resolved (its last status change), if it was. */
  resolvedAt?: string;
}

export interface FakeData {
  users: FakeUser[];
  escalationPolicies: FakeEscalationPolicy[];
  services: FakeService[];
  incidents: FakeIncident[];
}

export interface Faults {
  /** Close every connection without answering. */
  down?: boolean;
  /** Answer this status (e.g. 503) to every request. */
  status?: number;
  /** Answer 429 (with Retry-After: `retryAfterSeconds`) to this many requests, then recover. */
  rateLimited?: number;
  retryAfterSeconds?: number;
  /** Wait this long before answering. */
  slowMs?: number;
}

export interface RequestRecord {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
}

export interface FakePagerDuty {
  url: string;
  token: string;
  requests: RequestRecord[];
  faults: Faults;
  data: FakeData;
  close(): Promise<void>;
}

const ACCEPT = 'application/vnd.pagerduty+json;version=2';
const ERRORS: Record<number, { message: string; code: number }> = {
  400: { message: 'Invalid Input Provided', code: 2001 },
  401: { message: 'Unauthorized', code: 2006 },
  404: { message: 'Not Found', code: 2100 },
  429: { message: 'Rate Limit Exceeded', code: 2020 },
  500: { message: 'Internal Server Error', code: 2000 },
  503: { message: 'Service Unavailable', code: 2000 },
};

/** Start the fake on a free loopback port. */
export async function startFakePagerDuty(data: FakeData, options: { token?: string } = {}): Promise<FakePagerDuty> {
  const token = options.token ?? 'fake-pd-token';
  const requests: RequestRecord[] = [];
  const faults: Faults = {};
  const sockets = new Set<Socket>();
  let base = '';
  const web = 'https://larkspur.pagerduty.com';

  const ref = (type: string, id: string, summary: string, webPath?: string) => ({
    id,
    type,
    summary,
    self: `${base}/${type.replace(/_reference$/, '')}s/${id}`.replace('/escalation_policys/', '/escalation_policies/'),
    html_url: webPath ? `${web}${webPath}` : null,
  });
  const userRef = (id: string) => ref('user_reference', id, data.users.find((u) => u.id === id)?.name ?? id, `/users/${id}`);
  const policyRef = (p: FakeEscalationPolicy) => ref('escalation_policy_reference', p.id, p.name, `/escalation_policies/${p.id}`);
  const serviceRef = (s: FakeService) => ref('service_reference', s.id, s.name, `/service-directory/${s.id}`);
  const fullPolicy = (p: FakeEscalationPolicy) => ({
    ...ref('escalation_policy', p.id, p.name, `/escalation_policies/${p.id}`),
    name: p.name,
    description: '',
    num_loops: 0,
    on_call_handoff_notifications: 'if_has_services',
    escalation_rules: p.levels.map((targets, i) => ({
      id: `R${p.id}${i + 1}`,
      escalation_delay_in_minutes: 30,
      targets: targets.map(userRef),
    })),
    services: data.services.filter((s) => s.escalationPolicyId === p.id).map(serviceRef),
    teams: [],
  });

  function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  }
  function fail(res: ServerResponse, status: number, headers: Record<string, string> = {}) {
    send(res, status, { error: ERRORS[status] ?? { message: 'Error', code: 2000 } }, headers);
  }
  function page<T>(res: ServerResponse, name: string, items: T[], query: URLSearchParams) {
    const limit = Math.min(Number(query.get('limit') ?? 25), 100);
    const offset = Number(query.get('offset') ?? 0);
    const slice = items.slice(offset, offset + limit);
    send(res, 200, { [name]: slice, limit, offset, more: offset + slice.length < items.length, total: query.get('total') === 'true' ? items.length : null });
  }

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    requests.push({ method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers });
    if (faults.down) {
      req.socket.destroy();
      return;
    }
    if (faults.slowMs) await new Promise((r) => setTimeout(r, faults.slowMs));
    if (faults.status) return fail(res, faults.status);
    if (faults.rateLimited && faults.rateLimited > 0) {
      faults.rateLimited--;
      return fail(res, 429, { 'retry-after': String(faults.retryAfterSeconds ?? 1) });
    }
    if (req.headers.authorization !== `Token token=${token}`) return fail(res, 401);
    if (req.method !== 'GET') return fail(res, 400);
    const q = url.searchParams;
    const parts = url.pathname.split('/').filter(Boolean);

    if (parts[0] === 'services' && parts.length === 2) {
      const s = data.services.find((x) => x.id === parts[1]);
      if (!s) return fail(res, 404);
      const policy = data.escalationPolicies.find((p) => p.id === s.escalationPolicyId)!;
      const embed = q.getAll('include[]').includes('escalation_policies');
      return send(res, 200, {
        service: {
          ...ref('service', s.id, s.name, `/service-directory/${s.id}`),
          name: s.name,
          description: `${s.name} (fake)`,
          status: s.status ?? 'active',
          auto_resolve_timeout: 14_400,
          acknowledgement_timeout: 1800,
          created_at: '2025-01-01T00:00:00Z',
          escalation_policy: embed ? fullPolicy(policy) : policyRef(policy),
          teams: [],
          integrations: [],
          alert_creation: 'create_alerts_and_incidents',
          incident_urgency_rule: { type: 'constant', urgency: 'high' },
        },
      });
    }
    if (parts[0] === 'escalation_policies' && parts.length === 2) {
      const p = data.escalationPolicies.find((x) => x.id === parts[1]);
      return p ? send(res, 200, { escalation_policy: fullPolicy(p) }) : fail(res, 404);
    }
    if (parts[0] === 'oncalls' && parts.length === 1) {
      const ids = q.getAll('escalation_policy_ids[]');
      const oncalls = data.escalationPolicies
        .filter((p) => ids.length === 0 || ids.includes(p.id))
        .flatMap((p) =>
          Object.entries(p.onCall).flatMap(([level, users]) =>
            users.map((u) => ({ escalation_policy: policyRef(p), escalation_level: Number(level), schedule: null, user: userRef(u), start: null, end: null })),
          ),
        );
      return page(res, 'oncalls', oncalls, q);
    }
    if (parts[0] === 'incidents' && parts.length === 1) {
      const serviceIds = q.getAll('service_ids[]');
      const statuses = q.getAll('statuses[]');
      const since = q.get('since') ? Date.parse(q.get('since')!) : -Infinity;
      const until = q.get('until') ? Date.parse(q.get('until')!) : Infinity;
      if (Number.isNaN(since) || Number.isNaN(until)) return fail(res, 400);
      const list = data.incidents
        .filter((i) => (serviceIds.length === 0 || serviceIds.includes(i.serviceId)) && (statuses.length === 0 || statuses.includes(i.status)))
        .filter((i) => Date.parse(i.createdAt) >= since && Date.parse(i.createdAt) < until)
        .map((i, n) => {
          const s = data.services.find((x) => x.id === i.serviceId)!;
          const last = i.resolvedAt ?? (i.status === 'acknowledged' ? i.acknowledgedAt : undefined) ?? i.createdAt;
          return {
            ...ref('incident', i.id, `[#${n + 1}] ${s.name} is failing`, `/incidents/${i.id}`),
            incident_number: n + 1,
            title: `${s.name} is failing`,
            status: i.status,
            urgency: i.urgency ?? 'high',
            incident_key: null,
            created_at: i.createdAt,
            last_status_change_at: last,
            service: serviceRef(s),
            assignments: [],
            acknowledgements: i.status === 'acknowledged' && i.acknowledgedAt ? [{ at: i.acknowledgedAt, acknowledger: userRef(data.users[0].id) }] : [],
          };
        });
      return page(res, 'incidents', list, q);
    }
    if (parts[0] === 'incidents' && parts[2] === 'log_entries' && parts.length === 3) {
      const i = data.incidents.find((x) => x.id === parts[1]);
      if (!i) return fail(res, 404);
      const entry = (type: string, at: string, n: number) => ({ ...ref(type, `L${i.id}${n}`, type.replace(/_log_entry$/, ''), undefined), created_at: at, channel: { type: 'web_ui' }, incident: ref('incident_reference', i.id, i.id, `/incidents/${i.id}`) });
      const entries = [entry('trigger_log_entry', i.createdAt, 1)];
      if (i.acknowledgedAt) entries.push(entry('acknowledge_log_entry', i.acknowledgedAt, 2));
      if (i.resolvedAt) entries.push(entry('resolve_log_entry', i.resolvedAt, 3));
      return page(res, 'log_entries', entries.reverse(), q); // newest first, as PagerDuty lists them
    }
    return fail(res, 404);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    token,
    requests,
    faults,
    data,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export { ACCEPT as PAGERDUTY_ACCEPT };
