import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore, type TestStore } from '../../../test/support/services.js';
import { exampleFactFiles } from '../cli/shared.js';
import { loadConfig } from '../config.js';
import { utcDay } from '../store/index.js';
import { Runtime } from './runtime.js';

const REF = 'component:default/payments-api';

describe('full rescore skips entities whose inputs did not change', () => {
  let t: TestStore;
  let runtime: Runtime;
  let scored = 0;
  // The start of this hour, not a fixed date: the example facts are collected when the test runs,
  // and "a day later" must find the short-lived ones stale whatever the time of day.
  const now = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
  const at = (minutes: number) => new Date(now.getTime() + minutes * 60_000);
  const nextDay = utcDay(at(60 * 24));

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

  it('on a new day re-scores only what changed overnight, but writes every entity\'s roll-up rows and stamps it', async () => {
    const r = await runtime.rescore({ now: at(60 * 24) });
    // Facts with a maximum age under a day went stale overnight: only their entities are re-scored.
    expect(r.unchanged).toBeGreaterThan(0);
    expect(r.unchanged).toBeLessThan(scored);
    const rolled = await t.store.db.selectFrom('rollup_entity_track_daily').select(['entity_ref', 'track_id', 'owner', 'level', 'level_index'])
      .where('day', '=', nextDay).orderBy('entity_ref').orderBy('track_id').execute();
    const levels = await t.store.db.selectFrom('track_levels').innerJoin('entities', 'entities.ref', 'track_levels.entity_ref')
      .select(['entity_ref', 'track_id', 'owner', 'level', 'level_index']).orderBy('entity_ref').orderBy('track_id').execute();
    expect(rolled).toEqual(levels);
    const counts = await t.store.db.selectFrom('rollup_level_counts_daily').select((eb) => eb.fn.sum<number>('entities').as('n'))
      .where('day', '=', nextDay).where('owner', '=', '*').executeTakeFirstOrThrow();
    expect(Number(counts.n)).toBe(levels.length);
    expect((await t.store.results.evaluationOf(REF))?.evaluatedAt).toEqual(at(60 * 24));
  });

  it('after a definitions reload that changes no outcome, stamps the new version and rewrites no result', async () => {
    const resultsBefore = await t.store.results.resultsFor(REF);
    const definitions = runtime.definitions;
    runtime.useDefinitions({ ...definitions, version: `${definitions.version}-reloaded` });
    const r = await runtime.rescore({ now: at(60 * 24 + 5) });
    expect(r.unchanged).toBe(0);
    expect(r.outcomeChanges).toBe(0);
    expect(await t.store.results.resultsFor(REF)).toEqual(resultsBefore);
    expect((await t.store.results.evaluationOf(REF))?.definitionsVersion).toBe(`${definitions.version}-reloaded`);
    runtime.useDefinitions(definitions);
  });

  it('a day\'s roll-up follows a level change and drops the tracks an entity no longer has', async () => {
    await runtime.pushFactDocument({ facts: [{ entityRef: REF, id: 'ci.coverage', data: { line: 95, branch: 90, function: 95 } }] }, 'test');
    await runtime.rescore({ now: at(60 * 24 + 10) });
    const levels = await t.store.results.levelsFor([REF]);
    const rolled = await t.store.db.selectFrom('rollup_entity_track_daily').select(['track_id', 'level_index'])
      .where('day', '=', nextDay).where('entity_ref', '=', REF).orderBy('track_id').execute();
    expect(rolled).toEqual(levels.map((l) => ({ track_id: l.track_id, level_index: l.level_index })).sort((a, b) => (a.track_id < b.track_id ? -1 : 1)));
    await t.store.db.deleteFrom('track_levels').where('entity_ref', '=', REF).where('track_id', '=', levels[0].track_id).execute();
    await t.store.results.refreshEntityRollup(nextDay);
    const after = await t.store.db.selectFrom('rollup_entity_track_daily').select('track_id').where('day', '=', nextDay).where('entity_ref', '=', REF).execute();
    expect(after.map((r) => r.track_id)).not.toContain(levels[0].track_id);
  });

  it('keeps per-check counts live through incremental saves and writes the day\'s totals from them', async () => {
    const day = utcDay(at(60 * 48));
    const coverage = async () => Object.fromEntries((await t.store.insights.outcomeCounts('coverage-60')).map((c) => [c.outcome, c.count]));
    const failingInRollup = async () => (await t.store.results.checkRollup(day)).filter((r) => r.check_id === 'coverage-60').reduce((n, r) => n + r.fail, 0);
    const before = await coverage();
    const entities = Object.values(before).reduce((a, b) => a + b, 0);
    expect(entities).toBe(scored);
    await t.store.results.refreshCheckRollup(day);
    const rolledBefore = await failingInRollup();
    expect(rolledBefore).toBe(before.fail ?? 0);
    // An incremental save moves one entity from pass to fail: the counts follow at once.
    const passing = (await t.store.results.resultsFor(REF)).find((r) => r.check_id === 'coverage-60')!;
    expect(passing.outcome).toBe('pass');
    await runtime.pushFactDocument({ facts: [{ entityRef: REF, id: 'ci.coverage', data: { line: 5, branch: 5, function: 5 } }] }, 'test');
    await runtime.rescore({ refs: [REF], now: at(60 * 48) });
    expect(await coverage()).toEqual({ ...before, pass: before.pass - 1, fail: (before.fail ?? 0) + 1 });
    expect((await t.store.insights.entitiesWithOutcome('coverage-60', ['fail'])).map((r) => r.entity_ref)).toContain(REF);
    await t.store.results.foldCheckCounts();
    expect(await coverage()).toEqual({ ...before, pass: before.pass - 1, fail: (before.fail ?? 0) + 1 });
    await t.store.results.refreshCheckRollup(day);
    expect(await failingInRollup()).toBe(rolledBefore + 1);
    expect((await t.store.results.checkRollup(day)).every((r) => r.owner === '*')).toBe(true);
    // The counts agree with the documents; a drift (here made by hand) is found and put right.
    expect(await t.store.results.reconcileCheckCounts()).toEqual([]);
    await t.store.db.insertInto('check_outcome_counts').values({ check_id: 'coverage-60', outcome: 'fail', entities: 3 }).execute();
    expect(await t.store.results.reconcileCheckCounts()).toEqual([{ checkId: 'coverage-60', outcome: 'fail', counted: (before.fail ?? 0) + 1, kept: (before.fail ?? 0) + 4 }]);
    expect(await coverage()).toEqual({ ...before, pass: before.pass - 1, fail: (before.fail ?? 0) + 1 });
    expect(await t.store.results.reconcileCheckCounts()).toEqual([]);
    // A removed entity takes its results, its rows by check and its share of the counts with it.
    const all = await t.store.entities.list();
    await t.store.entities.sync(all.filter((e) => e.ref !== REF));
    const total = Object.values(await coverage()).reduce((a, b) => a + b, 0);
    expect(total).toBe(scored - 1);
    expect(await t.store.results.reconcileCheckCounts()).toEqual([]);
    expect(await t.store.results.resultsFor(REF)).toEqual([]);
    expect((await t.store.insights.entitiesWithOutcome('coverage-60', ['fail'])).map((r) => r.entity_ref)).not.toContain(REF);
    await t.store.entities.sync(all);
  });
});
