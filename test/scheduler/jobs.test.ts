import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleFactFiles } from '../../server/src/cli/shared.js';
import { loadConfig } from '../../server/src/config.js';
import { activeCollectors, planDueJobs, runJob, type JobEnv } from '../../server/src/scheduler/index.js';
import { Runtime } from '../../server/src/scoring/index.js';
import { startFakePagerDuty, type FakePagerDuty } from '../fake-pagerduty/server.js';
import { openTestStore, type TestStore } from '../support/services.js';

const REF = 'component:default/payments-api';

describe('scheduler jobs on the example organisation', () => {
  let pd: FakePagerDuty;
  let testStore: TestStore;
  let runtime: Runtime;
  const env = (): JobEnv => ({ runtime, signal: AbortSignal.timeout(30_000), log: { info: () => {}, warn: () => {} }, limit: (_c, task) => task() });

  beforeAll(async () => {
    pd = await startFakePagerDuty({
      users: [{ id: 'U1', name: 'Ana' }, { id: 'U2', name: 'Ben' }],
      escalationPolicies: [{ id: 'EP1', name: 'Payments', levels: [['U1'], ['U2']], onCall: { 1: ['U1'], 2: ['U2'] } }],
      services: [{ id: 'PB4N2QX', name: 'payments-api', escalationPolicyId: 'EP1' }],
      incidents: [],
    });
    testStore = (await openTestStore('pglite'))!;
    const config = loadConfig({}, { pagerduty: { apiUrl: pd.url, token: pd.token }, logLevel: 'silent' });
    runtime = await Runtime.open(config, { store: testStore.store });
    await runtime.syncCatalog();
    for (const file of exampleFactFiles()) await runtime.pushFactDocument(JSON.parse(await readFile(file, 'utf8')), file, 'seed');
    await runtime.rescore();
  });
  afterAll(async () => {
    await testStore?.close();
    await pd?.close();
  });

  it('sweeps only collectors that are configured (no GitHub token, no Prometheus URL here)', async () => {
    expect(activeCollectors(runtime).map((c) => c.id)).toEqual(['pagerduty']);
    const now = new Date('2026-11-25T10:30:00Z');
    expect(await planDueJobs(runtime, now)).toBe(3); // pagerduty sweep, catalog sync, maintenance
    expect(await planDueJobs(runtime, now)).toBe(0); // idempotent within a slot
    const keys = (await runtime.store.db.selectFrom('jobs').select('dedupe_key').orderBy('dedupe_key').execute()).map((r) => r.dedupe_key);
    expect(keys).toEqual(['catalog-sync:2026-11-25T10:00:00.000Z', 'maintenance:2026-11-25T03:17:00.000Z', 'sweep:pagerduty:2026-11-25T10:07:00.000Z']);
  });

  it('a refresh collects the entity from the configured source and rescores it', async () => {
    await runJob(env(), { kind: 'refresh', ref: REF });
    const facts = (await runtime.store.facts.latest([REF])).get(REF)!;
    const pdFact = facts.find((f) => f.id === 'pagerduty.service')!;
    expect(pdFact.source).toBe('pagerduty');
    expect(pdFact.data).toMatchObject({ exists: true, escalationLevels: 2, onCallNow: true, incidents30d: 0 });
    expect(pd.requests.some((r) => r.path === '/services/PB4N2QX')).toBe(true);
  });

  it('a failed collection keeps the last good facts and records the error on them', async () => {
    pd.faults.status = 503;
    await expect(runJob(env(), { kind: 'collect', collector: 'pagerduty', refs: [REF] })).resolves.toBeUndefined();
    const fact = (await runtime.store.facts.latest([REF])).get(REF)!.find((f) => f.id === 'pagerduty.service')!;
    expect(fact.data).toMatchObject({ exists: true, escalationLevels: 2 });
    expect(fact.lastError).toMatch(/503/);
    delete pd.faults.status;
  });

  it('past its maximum age a fact is stale and the checks reading it become unknown, never pass', async () => {
    const later = new Date(Date.now() + 3 * 86_400_000);
    const summary = await runtime.rescore({ refs: [REF], now: later });
    const result = summary.evaluations[0].results.find((r) => r.checkId === 'escalation-two-levels')!;
    expect(result.outcome).toBe('unknown');
    expect(result.message).toMatch(/stale/);
  });
});
