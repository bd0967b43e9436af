import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeData, type FakeIncident, type FakePagerDuty, startFakePagerDuty } from '../../../../test/fake-pagerduty/server.js';
import type { Entity } from '../../engine/types.js';
import type { CollectorContext } from '../collector.js';
import { collectService, pagerdutyCollector } from './collector.js';
import { PAGERDUTY_ACCEPT, type PagerDutyApi, PagerDutyClient, retryAfterMs } from './pagerduty-client.js';
import { pagerdutyServiceSchema } from './schema.js';

const now = Date.now();
const at = (msAgo: number, plusMinutes = 0) => new Date(now - msAgo + plusMinutes * 60_000).toISOString();
const DAY = 86_400_000;

const incidents: FakeIncident[] = [
  { id: 'Q1', serviceId: 'PB4N2QX', status: 'resolved', createdAt: at(10 * DAY), acknowledgedAt: at(10 * DAY, 4), resolvedAt: at(10 * DAY, 60) },
  { id: 'Q2', serviceId: 'PB4N2QX', status: 'resolved', createdAt: at(5 * DAY), acknowledgedAt: at(5 * DAY, 10), resolvedAt: at(5 * DAY, 30) },
  { id: 'Q3', serviceId: 'PB4N2QX', status: 'resolved', urgency: 'low', createdAt: at(3 * DAY), resolvedAt: at(3 * DAY, 15) },
  { id: 'Q4', serviceId: 'PB4N2QX', status: 'acknowledged', createdAt: at(3_600_000), acknowledgedAt: at(3_600_000, 6) },
  { id: 'Q5', serviceId: 'PB4N2QX', status: 'triggered', createdAt: at(600_000) },
  { id: 'Q6', serviceId: 'PB4N2QX', status: 'resolved', createdAt: at(40 * DAY), acknowledgedAt: at(40 * DAY, 1), resolvedAt: at(40 * DAY, 2) },
  ...Array.from({ length: 150 }, (_, i): FakeIncident => ({
    id: `QM${i}`, serviceId: 'PM4NY01', status: 'resolved', urgency: 'low', createdAt: at((i + 1) * 3_600_000), acknowledgedAt: at((i + 1) * 3_600_000, 2), resolvedAt: at((i + 1) * 3_600_000, 20),
  })),
];

const data: FakeData = {
  users: [{ id: 'PU1', name: 'Ada Okafor' }, { id: 'PU2', name: 'Bo Lindqvist' }, { id: 'PU3', name: 'Chen Wei' }],
  escalationPolicies: [
    { id: 'PEP1', name: 'Payments', levels: [['PU1'], ['PU2', 'PU3']], onCall: { 1: ['PU1'], 2: ['PU2', 'PU3'] } },
    { id: 'PEP2', name: 'Ledger', levels: [['PU3']], onCall: { 2: ['PU3'] } },
  ],
  services: [
    { id: 'PB4N2QX', name: 'payments-api', escalationPolicyId: 'PEP1' },
    { id: 'PL7D3KM', name: 'ledger', status: 'disabled', escalationPolicyId: 'PEP2' },
    { id: 'PM4NY01', name: 'busy', escalationPolicyId: 'PEP1' },
  ],
  incidents,
};

function entity(name: string, serviceId?: string): { ref: string; entity: Entity } {
  return { ref: `component:default/${name}`, entity: { apiVersion: 'backstage.io/v1alpha1', kind: 'Component', metadata: { name, annotations: serviceId ? { 'pagerduty.com/service-id': serviceId } : {} }, spec: {} } };
}

function context(entities: { ref: string; entity: Entity }[], settings: Record<string, unknown>): CollectorContext {
  return { entities, settings, signal: new AbortController().signal, log: { info() {}, warn() {} } };
}

describe('pagerduty collector against the fake PagerDuty', () => {
  let pd: FakePagerDuty;
  const settings = () => ({ apiUrl: pd.url, token: pd.token, timeoutMs: 2000, maxRetryAfterMs: 5000 });
  beforeAll(async () => {
    pd = await startFakePagerDuty(data);
  });
  afterAll(() => pd.close());
  beforeEach(() => {
    pd.requests.length = 0;
    for (const k of Object.keys(pd.faults)) delete pd.faults[k as keyof typeof pd.faults];
  });

  it('happy path: escalation levels, on call, incidents, MTTA and MTTR', async () => {
    const run = await pagerdutyCollector.collect(context([entity('payments-api', 'PB4N2QX'), entity('ledger', 'PL7D3KM')], settings()));
    expect(run.errors).toEqual([]);
    const byRef = Object.fromEntries(run.facts.map((f) => [f.entityRef, f.data]));
    expect(byRef['component:default/payments-api']).toEqual({
      exists: true,
      serviceId: 'PB4N2QX',
      name: 'payments-api',
      status: 'active',
      htmlUrl: 'https://larkspur.pagerduty.com/service-directory/PB4N2QX',
      escalationPolicyId: 'PEP1',
      escalationLevels: 2,
      onCallNow: true,
      onCallUsers: 3,
      incidents30d: 5,
      highUrgencyIncidents30d: 4,
      openIncidents: 2,
      mttaMinutes: 6.7, // (4 + 10 + 6) / 3: Q3 was never acknowledged, Q5 not yet
      mttaSample: 3,
      mttrMinutes: 35, // (60 + 30 + 15) / 3
      resolvedIncidents30d: 3,
    });
    expect(byRef['component:default/ledger']).toMatchObject({ exists: true, status: 'disabled', escalationLevels: 1, onCallNow: false, onCallUsers: 1, incidents30d: 0, mttaMinutes: null, mttrMinutes: null });
    const ajv = new Ajv2020({ strict: false });
    for (const f of run.facts) expect(ajv.validate(pagerdutyServiceSchema, f.data), JSON.stringify(ajv.errors)).toBe(true);
    for (const r of pd.requests) {
      expect(r.headers.authorization).toBe(`Token token=${pd.token}`);
      expect(r.headers.accept).toBe(PAGERDUTY_ACCEPT);
    }
    const incidentQuery = pd.requests.find((r) => r.path === '/incidents')!.query;
    expect(incidentQuery.getAll('statuses[]')).toEqual(['triggered', 'acknowledged', 'resolved']);
    expect(Date.parse(incidentQuery.get('until')!) - Date.parse(incidentQuery.get('since')!)).toBe(30 * DAY);
  });

  it('pages through incidents with offset/more, and samples MTTA', async () => {
    const run = await pagerdutyCollector.collect(context([entity('busy', 'PM4NY01')], { ...settings(), mttaSampleSize: 10 }));
    expect(run.errors).toEqual([]);
    expect(run.facts[0].data).toMatchObject({ incidents30d: 150, resolvedIncidents30d: 150, mttaMinutes: 2, mttaSample: 10, mttrMinutes: 20 });
    expect(pd.requests.filter((r) => r.path === '/incidents').map((r) => r.query.get('offset'))).toEqual(['0', '100']);
  });

  it('404 on the service is a fact: exists false', async () => {
    const run = await pagerdutyCollector.collect(context([entity('ghost', 'PNOPE00')], settings()));
    expect(run.errors).toEqual([]);
    expect(run.facts[0].data).toMatchObject({ exists: false, serviceId: 'PNOPE00', escalationLevels: null, onCallNow: null });
  });

  it('429 is retried once after Retry-After', async () => {
    pd.faults.rateLimited = 1;
    pd.faults.retryAfterSeconds = 1;
    const started = Date.now();
    const run = await pagerdutyCollector.collect(context([entity('ledger', 'PL7D3KM')], settings()));
    expect(run.errors).toEqual([]);
    expect(run.facts[0].data).toMatchObject({ exists: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(pd.requests[0].path).toBe(pd.requests[1].path);
  });

  it.each([
    ['429 twice', { rateLimited: 2, retryAfterSeconds: 0 }, 'PagerDuty 429 on GET /services/PL7D3KM: Rate Limit Exceeded [code 2020]'],
    ['429 asking too long a wait', { rateLimited: 1, retryAfterSeconds: 3600 }, 'PagerDuty 429'],
    ['5xx', { status: 503 }, 'PagerDuty 503 on GET /services/PL7D3KM: Service Unavailable'],
    ['500', { status: 500 }, 'PagerDuty 500'],
    ['down', { down: true }, `unreachable`],
    ['slow', { slowMs: 1000 }, 'no answer within 300 ms'],
  ])('%s → an error entry, no fact', async (_name, faults, message) => {
    Object.assign(pd.faults, faults);
    const run = await pagerdutyCollector.collect(context([entity('ledger', 'PL7D3KM')], { ...settings(), timeoutMs: 300 }));
    expect(run.facts).toEqual([]);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatchObject({ entityRef: 'component:default/ledger', factId: 'pagerduty.service' });
    expect(run.errors[0].message).toContain(message);
  });

  it.each([
    ['a bad token', () => ({ ...settings(), token: 'wrong' }), 'PagerDuty 401 on GET /services/', 1],
    ['PagerDuty down', () => (pd.faults.down = true, settings()), 'unreachable', 1],
  ])('%s fails every entity after one request', async (_name, makeSettings, message, requests) => {
    const run = await pagerdutyCollector.collect(context([entity('a', 'PB4N2QX'), entity('b', 'PL7D3KM'), entity('c', 'PM4NY01')], { ...makeSettings(), concurrency: 1 }));
    expect(run.facts).toEqual([]);
    expect(run.errors).toHaveLength(3);
    for (const e of run.errors) expect(e.message).toContain(message);
    expect(pd.requests).toHaveLength(requests);
  });

  it('reads the escalation policy on its own when the service holds only a reference', async () => {
    const raw = new PagerDutyClient({ apiUrl: pd.url, token: pd.token });
    const withoutInclude: PagerDutyApi = {
      get: (path, query = {}) => raw.get(path, Object.fromEntries(Object.entries(query).filter(([k]) => k !== 'include[]'))),
      list: (path, name, query) => raw.list(path, name, query),
    };
    const fact = await collectService(withoutInclude, 'PB4N2QX');
    expect(fact.escalationLevels).toBe(2);
    expect(pd.requests.map((r) => r.path)).toContain('/escalation_policies/PEP1');
  });

  it.each([
    [{ apiUrl: 'http://x' }, 'no API token configured (PAGERDUTY_TOKEN)'],
    [{ apiUrl: 'file:///etc', token: 't' }, 'settings.apiUrl must be an http(s) URL'],
  ])('settings %j → every entity errs', async (s, message) => {
    const run = await pagerdutyCollector.collect(context([entity('a', 'PB4N2QX')], s));
    expect(run.errors[0].message).toContain(message);
  });

  it('refuses an annotation that is no service id, without asking PagerDuty', async () => {
    const run = await pagerdutyCollector.collect(context([entity('a', '../oncalls?x=')], settings()));
    expect(run.errors[0].message).toContain('is not a PagerDuty service id');
    expect(pd.requests).toHaveLength(0);
  });
});

describe('pagerduty details', () => {
  it.each([
    [null, 1000],
    ['7', 7000],
    [new Date(Date.UTC(2026, 0, 1, 0, 0, 30)).toUTCString(), 30_000],
    ['soon', 1000],
  ])('Retry-After %s → %d ms', (header, ms) => {
    expect(retryAfterMs(header, Date.UTC(2026, 0, 1, 0, 0, 0))).toBe(ms);
  });

  it('applies to entities with a service id annotation only', () => {
    expect(pagerdutyCollector.appliesTo(entity('a', 'PB4N2QX').entity)).toBe(true);
    expect(pagerdutyCollector.appliesTo(entity('b').entity)).toBe(false);
  });
});
