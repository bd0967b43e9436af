import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore, type TestStore } from '../../../test/support/services.js';
import { exampleFactFiles } from '../cli/shared.js';
import { loadConfig } from '../config.js';
import { Runtime } from './runtime.js';

const REF = 'component:default/payments-api';

describe('full rescore skips entities whose inputs did not change', () => {
  let t: TestStore;
  let runtime: Runtime;
  let scored = 0;
  const now = new Date('2026-11-25T10:00:00Z');
  const at = (minutes: number) => new Date(now.getTime() + minutes * 60_000);

  beforeAll(async () => {
    t = (await openTestStore('pglite'))!;
    runtime = await Runtime.open(loadConfig({}, { logLevel: 'silent' }), { store: t.store });
    await runtime.syncCatalog();
    for (const file of exampleFactFiles()) await runtime.pushFactDocument(JSON.parse(await readFile(file, 'utf8')), file, 'seed');
  });
  afterAll(() => t?.close());

  it('scores everything once, then nothing while nothing changes', async () => {
    const first = await runtime.rescore({ now: at(0) });
    scored = first.entities;
    expect(first.unchanged).toBe(0);
    const second = await runtime.rescore({ now: at(5) });
    expect(second.unchanged).toBe(scored);
  });

  it('re-scores only the entity whose fact changed, and its result follows the new fact', async () => {
    await runtime.pushFactDocument({ facts: [{ entityRef: REF, id: 'ci.coverage', data: { line: 12, branch: 10, function: 20 } }] }, 'test');
    const r = await runtime.rescore({ now: at(10) });
    expect(r.unchanged).toBe(scored - 1);
    const [coverage] = (await t.store.results.resultsFor(REF)).filter((x) => x.check_id === 'coverage-60');
    expect(coverage.outcome).toBe('fail');
  });

  it('re-scores an entity when an exemption starts and when it is revoked', async () => {
    const ex = await t.store.exemptions.create({ entityRef: REF, checkId: 'coverage-60', reason: 'migrating the test runner', author: 'lead', expiresAt: at(60 * 24 * 10).toISOString() }, 'test');
    expect((await runtime.rescore({ now: at(15) })).unchanged).toBe(scored - 1);
    expect((await t.store.results.resultsFor(REF)).find((x) => x.check_id === 'coverage-60')?.outcome).toBe('exempt');
    await t.store.exemptions.revoke(ex.id, 'test');
    expect((await runtime.rescore({ now: at(20) })).unchanged).toBe(scored - 1);
    expect((await t.store.results.resultsFor(REF)).find((x) => x.check_id === 'coverage-60')?.outcome).toBe('fail');
  });

  it('re-scores an entity when a fact it reads turns stale, even within the same day', async () => {
    const maxAge = runtime.maxAges['ci.tests'];
    // Collected so that it is fresh at +25 min and stale at +35 min.
    const collectedAt = new Date(at(30).getTime() - maxAge * 1000).toISOString();
    await runtime.pushFactDocument({ facts: [{ entityRef: REF, id: 'ci.tests', data: { total: 10, failed: 0 }, collectedAt }] }, 'test');
    await runtime.rescore({ now: at(25) });
    expect((await t.store.results.resultsFor(REF)).find((x) => x.check_id === 'tests-pass')?.outcome).toBe('pass');
    const later = await runtime.rescore({ now: at(35) });
    expect(later.unchanged).toBe(scored - 1);
    expect((await t.store.results.resultsFor(REF)).find((x) => x.check_id === 'tests-pass')?.outcome).toBe('unknown');
  });

  it('scores everything again on a new day (the day\'s roll-up rows are written)', async () => {
    const nextDay = await runtime.rescore({ now: at(60 * 24) });
    expect(nextDay.unchanged).toBe(0);
    const rows = await t.store.db.selectFrom('rollup_entity_track_daily').select('entity_ref').where('day', '=', '2026-11-26').execute();
    expect(rows.length).toBeGreaterThan(0);
  });
});
