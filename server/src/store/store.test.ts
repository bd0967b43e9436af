import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects, openTestStore, type TestStore } from '../../../test/support/services.js';
import type { StoredEntity } from './index.js';
import { ORG_WIDE } from './result-repository.js';
import { migrate } from './migrate.js';

const entity = (name: string, owner = 'group:default/team-a'): StoredEntity => ({
  ref: `component:default/${name}`,
  entity: { apiVersion: 'backstage.io/v1alpha1', kind: 'Component', metadata: { name, annotations: { 'github.com/project-slug': `Acme/${name}` } }, spec: { type: 'service', lifecycle: 'production', owner } },
  owner,
  system: null,
});

describe.each(dialects)('store on %s', (dialect) => {
  let t: TestStore | null;
  beforeAll(async () => {
    t = await openTestStore(dialect);
  });
  afterAll(async () => {
    await t?.close();
  });
  const store = () => {
    if (!t) throw new Error('unreachable');
    return t.store;
  };

  it('applies migrations and answers a ping', async (ctx) => {
    if (!t) return ctx.skip();
    await expect(store().ping()).resolves.toBeUndefined();
  });

  it('syncs entities and removes those gone from the catalog with their facts', async (ctx) => {
    if (!t) return ctx.skip();
    await store().entities.sync([entity('a'), entity('b'), entity('gone')]);
    await store().facts.write([{ entityRef: 'component:default/gone', id: 'ci.tests', data: { total: 1, failed: 0 }, source: 'test' }]);
    const { removed } = await store().entities.sync([entity('a'), entity('b', 'group:default/team-b')]);
    expect(removed).toEqual(['component:default/gone']);
    expect((await store().entities.list()).map((e) => e.ref)).toEqual(['component:default/a', 'component:default/b']);
    expect((await store().entities.list({ owner: 'group:default/team-b' })).map((e) => e.ref)).toEqual(['component:default/b']);
    expect((await store().entities.list({ githubSlug: 'acme/a' })).map((e) => e.ref)).toEqual(['component:default/a']);
    expect((await store().facts.latest(['component:default/gone'])).size).toBe(0);
  });

  it('writes a history row only when a fact changes', async (ctx) => {
    if (!t) return ctx.skip();
    const ref = 'component:default/a';
    const first = await store().facts.write([{ entityRef: ref, id: 'ci.coverage', data: { line: 80, branch: 70 }, source: 'test' }]);
    expect(first).toEqual({ written: 1, changed: 1, unchanged: 0 });
    // Same data, keys in another order: no change, no history row.
    const same = await store().facts.write([{ entityRef: ref, id: 'ci.coverage', data: { branch: 70, line: 80 }, source: 'test' }]);
    expect(same).toEqual({ written: 1, changed: 0, unchanged: 1 });
    expect(await store().facts.history(ref, { factId: 'ci.coverage' })).toHaveLength(1);
    await store().facts.write([{ entityRef: ref, id: 'ci.coverage', data: { line: 81, branch: 70 }, source: 'test' }]);
    const history = await store().facts.history(ref, { factId: 'ci.coverage' });
    expect(history.map((h) => (h.data as { line: number }).line)).toEqual([81, 80]);
  });

  it('keeps pull-request facts apart from the default branch', async (ctx) => {
    if (!t) return ctx.skip();
    const ref = 'component:default/b';
    await store().facts.write([
      { entityRef: ref, id: 'ci.coverage', data: { line: 90 }, source: 'test' },
      { entityRef: ref, id: 'ci.coverage', data: { line: 10 }, source: 'test', scope: 'sha:abc' },
    ]);
    expect((await store().facts.latest([ref])).get(ref)?.[0].data).toEqual({ line: 90 });
    expect((await store().facts.latest([ref], 'sha:abc')).get(ref)?.[0].data).toEqual({ line: 10 });
  });

  it('records a collection error without losing the last good data', async (ctx) => {
    if (!t) return ctx.skip();
    const ref = 'component:default/a';
    await store().facts.recordError(ref, ['ci.coverage'], 'HTTP 502');
    const [fact] = (await store().facts.latest([ref])).get(ref)!;
    expect(fact.data).toEqual({ line: 81, branch: 70 });
    expect(fact.lastError).toBe('HTTP 502');
  });

  it('stores results with history on outcome change and daily roll-ups', async (ctx) => {
    if (!t) return ctx.skip();
    const ctxSave = { ownerOf: () => 'group:default/team-a', levelIndex: (_t: string, l: string | null) => (l === 'bronze' ? 0 : l === 'silver' ? 1 : -1) };
    const ev = (outcome: 'pass' | 'fail', level: string | null) => ({
      ref: 'component:default/a', definitionsVersion: 'v1',
      results: [{ checkId: 'has-owner', outcome, message: 'm', values: { 'catalog.descriptor.owner': 'x' } }],
      tracks: [{ trackId: 'basics', level, nextLevel: 'silver', missing: ['has-docs'] }],
    });
    expect(await store().results.save([ev('pass', 'bronze')], ctxSave)).toEqual({ outcomeChanges: 0, levelChanges: 1, unchanged: 0 });
    expect(await store().results.save([ev('pass', 'bronze')], ctxSave)).toEqual({ outcomeChanges: 0, levelChanges: 0, unchanged: 1 });
    expect(await store().results.save([ev('fail', null)], ctxSave)).toEqual({ outcomeChanges: 1, levelChanges: 1, unchanged: 0 });
    // A first result is not a change: the history holds the one change, with the outcome before it.
    expect((await store().results.resultHistory('component:default/a')).map((r) => [r.previous_outcome, r.outcome])).toEqual([['pass', 'fail']]);
    const levels = await store().results.levelHistory('component:default/a');
    expect(levels[0]).toMatchObject({ level: null, previous_level: 'bronze', level_index: -1, previous_level_index: 0 });
    await store().results.refreshCheckRollup();
    const rollup = await store().db.selectFrom('rollup_check_daily').selectAll().execute();
    expect(rollup).toEqual([expect.objectContaining({ check_id: 'has-owner', owner: '*', pass: 0, fail: 1 })]);
    const daily = await store().db.selectFrom('rollup_entity_track_daily').selectAll().execute();
    expect(daily).toHaveLength(1);
    expect(daily[0]).toMatchObject({ level: null, level_index: -1 });
  });

  it('rewrites nothing for an unchanged evaluation, but stamps the entity as evaluated', async (ctx) => {
    if (!t) return ctx.skip();
    const levelIndex = (_t: string, l: string | null) => (l === 'bronze' ? 0 : -1);
    const ev = { ref: 'component:default/b', definitionsVersion: 'v2', results: [{ checkId: 'has-owner', outcome: 'pass' as const, message: 'm', values: { x: 1 } }], tracks: [{ trackId: 'basics', level: 'bronze', nextLevel: 'silver', missing: [] }] };
    const first = new Date('2026-11-20T10:00:00Z');
    const second = new Date('2026-11-20T11:00:00Z');
    await store().results.save([ev], { ownerOf: () => 'group:default/team-b', levelIndex, now: first });
    await store().results.save([ev], { ownerOf: () => 'group:default/team-b', levelIndex, now: second });
    const [row] = await store().results.resultsFor('component:default/b');
    expect(row.changed_at).toEqual(first);
    expect((await store().results.evaluationOf('component:default/b'))?.evaluatedAt).toEqual(second);
    // The pre-counted levels of that day follow the per-entity roll-up.
    const counts = await store().insights.dailyLevelCounts({ sinceDay: '2026-11-20', owner: 'group:default/team-b' });
    expect(counts).toEqual([{ day: '2026-11-20', trackId: 'basics', levelIndex: 0, count: 1 }]);
    await store().results.save([{ ...ev, results: [{ ...ev.results[0], message: 'changed' }] }], { ownerOf: () => 'group:default/team-b', levelIndex, now: second });
    // A changed message is written; the outcome has held since the first save.
    expect((await store().results.resultsFor('component:default/b'))[0]).toMatchObject({ message: 'changed', changed_at: first });
  });

  it('moves stored results between one row per check and one document per entity, both ways', async (ctx) => {
    if (!t) return ctx.skip();
    const ref = 'component:default/c';
    const levelIndex = () => 0;
    const ev = {
      ref, definitionsVersion: 'v3', tracks: [],
      results: [
        { checkId: 'has-docs', outcome: 'exempt' as const, message: 'exempt until July', values: { 'docs.present': null }, exemption: { reason: 'moving docs', author: 'lead@acme', expiresAt: '2026-07-01T00:00:00.000Z' } },
        { checkId: 'has-owner', outcome: 'fail' as const, message: 'no owner', values: { owner: '' } },
        { checkId: 'tests-pass', outcome: 'pass' as const, message: 'all passed', values: { 'ci.tests.failed': 0 } },
      ],
    };
    await store().entities.sync([...(await store().entities.list()), entity('c')]);
    await store().results.save([ev], { ownerOf: () => null, levelIndex, now: new Date('2026-06-01T00:00:00Z') });
    const before = await store().results.resultsFor(ref);
    const counts = await store().insights.outcomeCounts();
    // Back to the migration before results moved into documents (later ones are rolled back first).
    await migrate(store().db, { to: '2026-11-26T02-00-00_evaluation_results_hash' });
    const rows = await sql<{ check_id: string; outcome: string; exemption: unknown; values: unknown }>`
      select check_id, outcome, exemption, values from results where entity_ref = ${ref} order by check_id`.execute(store().db);
    expect(rows.rows.map((r) => [r.check_id, r.outcome])).toEqual([['has-docs', 'exempt'], ['has-owner', 'fail'], ['tests-pass', 'pass']]);
    expect(rows.rows[0].exemption).toMatchObject({ author: 'lead@acme' });
    expect(rows.rows[0].values).toEqual({ 'docs.present': null });
    expect(rows.rows[1].exemption).toBeNull();
    await migrate(store().db, 'latest');
    expect(await store().results.resultsFor(ref)).toEqual(before);
    expect(await store().insights.outcomeCounts()).toEqual(expect.arrayContaining(counts));
    expect((await store().insights.entitiesWithOutcome('has-owner', ['fail'])).map((r) => r.entity_ref)).toContain(ref);
    expect(await store().insights.refsWithExpiredExemptions(new Date('2026-08-01T00:00:00Z'), ref)).toEqual([ref]);
  });

  it('takes concurrent saves of one entity in turn, so the live counts stay exact', async (ctx) => {
    if (!t) return ctx.skip();
    const ref = 'component:default/d';
    await store().entities.sync([...(await store().entities.list()), entity('d')]);
    const save = (outcome: 'pass' | 'fail' | 'unknown') => store().results.save(
      [{ ref, definitionsVersion: 'v4', tracks: [], results: [{ checkId: 'race-check', outcome, message: outcome, values: {} }] }],
      { ownerOf: () => null, levelIndex: () => 0 },
    );
    // Four saves at once of an entity never scored, then four more of it scored.
    for (let round = 0; round < 2; round++) {
      await Promise.all([save('pass'), save('fail'), save('unknown'), save('fail')]);
      const [stored] = await store().results.resultsFor(ref);
      expect(await store().insights.outcomeCounts('race-check')).toEqual([{ checkId: 'race-check', outcome: stored.outcome, count: 1 }]);
      const attention = await store().insights.entitiesWithOutcome('race-check', ['fail', 'unknown']);
      expect(attention.map((r) => r.outcome)).toEqual(stored.outcome === 'pass' ? [] : [stored.outcome]);
    }
    // Recounted from every stored document: nothing drifted.
    expect(await store().results.reconcileCheckCounts()).toEqual([]);
  });

  it('takes concurrent saves of different entities on a new day without a conflict, and counts every level', async (ctx) => {
    if (!t) return ctx.skip();
    const names = Array.from({ length: 8 }, (_, i) => `lv-${i}`);
    await store().entities.sync([...(await store().entities.list()), ...names.map((n) => entity(n, 'group:default/racers'))]);
    const levelIndex = (_t: string, l: string | null) => ['bronze', 'silver'].indexOf(l ?? '');
    const save = (name: string, level: string, now: Date) => store().results.save(
      [{ ref: `component:default/${name}`, definitionsVersion: 'v6', results: [], tracks: [{ trackId: 'race-track', level, nextLevel: null, missing: [] }] }],
      { ownerOf: () => 'group:default/racers', levelIndex, now },
    );
    const counts = async (owner: string) => (await store().insights.dailyLevelCounts({ sinceDay: '2026-12-01', owner }))
      .filter((c) => c.trackId === 'race-track').map((c) => [c.day, c.levelIndex, c.count]).sort();
    // Every save recounts its owner's and the organisation's rows of the day: eight at once, twice
    // (the day's first rows, then rows that exist), each waits its turn instead of failing on a duplicate.
    await Promise.all(names.map((n) => save(n, 'bronze', new Date('2026-12-01T10:00:00Z'))));
    await Promise.all(names.map((n, i) => save(n, i < 3 ? 'silver' : 'bronze', new Date('2026-12-01T11:00:00Z'))));
    expect(await counts('group:default/racers')).toEqual([['2026-12-01', 0, 5], ['2026-12-01', 1, 3]]);
    expect(await counts(ORG_WIDE)).toEqual([['2026-12-01', 0, 5], ['2026-12-01', 1, 3]]);
  });

  it('never saves results made from inputs read before those of the stored results', async (ctx) => {
    if (!t) return ctx.skip();
    const ref = 'component:default/e';
    await store().entities.sync([...(await store().entities.list()), entity('e')]);
    const read = await store().results.clock();
    const readAt = (seconds: number) => new Date(read.getTime() + seconds * 1000);
    const save = (outcome: 'pass' | 'fail', inputsReadAt: Date | undefined, now = new Date()) => store().results.save(
      [{ ref, definitionsVersion: 'v7', tracks: [], results: [{ checkId: 'order-check', outcome, message: outcome, values: {} }] }],
      { ownerOf: () => null, levelIndex: () => 0, now, inputsReadAt },
    );
    const outcome = async () => (await store().results.resultsFor(ref)).map((r) => r.outcome);
    // A fact push's rescore read the inputs at +3 s and saved; a full rescore that read them at +0 s saves after it.
    await save('fail', readAt(3));
    expect(await save('pass', readAt(0))).toMatchObject({ outcomeChanges: 0 });
    expect(await outcome()).toEqual(['fail']);
    // Inputs read later replace them, whatever the processes' clocks say (`now` is an hour behind here).
    await save('pass', readAt(5), new Date(Date.now() - 3_600_000));
    expect(await outcome()).toEqual(['pass']);
    // A save that does not say when its inputs were read is not held back.
    await save('fail', undefined);
    expect(await outcome()).toEqual(['fail']);
    expect(await store().insights.outcomeCounts('order-check')).toEqual([{ checkId: 'order-check', outcome: 'fail', count: 1 }]);
  });

  it('follows a change of values alone in the document, and a new exemption expiry in the rows by check', async (ctx) => {
    if (!t) return ctx.skip();
    const ref = 'component:default/f';
    await store().entities.sync([...(await store().entities.list()), entity('f')]);
    const exemption = (expiresAt: string) => ({ reason: 'migrating', author: 'lead@acme', expiresAt });
    const save = (coverage: number, expiresAt: string, now: Date) => store().results.save(
      [{
        ref, definitionsVersion: 'v8', tracks: [],
        results: [
          { checkId: 'values-check', outcome: 'pass', message: 'covered', values: { 'ci.coverage.line': coverage } },
          { checkId: 'expiry-check', outcome: 'exempt', message: 'exempt', values: {}, exemption: exemption(expiresAt) },
        ],
      }],
      { ownerOf: () => null, levelIndex: () => 0, now },
    );
    const first = new Date('2026-12-03T10:00:00Z');
    await save(80, '2027-01-01T00:00:00.000Z', first);
    const r = await save(85, '2027-02-01T00:00:00.000Z', new Date('2026-12-03T11:00:00Z'));
    expect(r).toMatchObject({ outcomeChanges: 0 });
    const stored = new Map((await store().results.resultsFor(ref)).map((x) => [x.check_id, x]));
    expect(stored.get('values-check')).toMatchObject({ outcome: 'pass', values: { 'ci.coverage.line': 85 }, changed_at: first });
    expect(stored.get('expiry-check')?.exemption).toMatchObject({ expiresAt: '2027-02-01T00:00:00.000Z' });
    // The row by check moved with the exemption: it has not run out in January any more.
    expect(await store().insights.refsWithExpiredExemptions(new Date('2027-01-15T00:00:00Z'), ref)).toEqual([]);
    expect(await store().insights.refsWithExpiredExemptions(new Date('2027-02-15T00:00:00Z'), ref)).toEqual([ref]);
    expect(await store().results.reconcileCheckCounts()).toEqual([]);
  });

  it('does not save an entity that is no longer in the catalog', async (ctx) => {
    if (!t) return ctx.skip();
    const ref = 'component:default/never-synced';
    await store().results.save(
      [{ ref, definitionsVersion: 'v5', tracks: [], results: [{ checkId: 'ghost-check', outcome: 'fail', message: 'x', values: {} }] }],
      { ownerOf: () => null, levelIndex: () => 0 },
    );
    expect(await store().results.resultsFor(ref)).toEqual([]);
    expect(await store().results.evaluationOf(ref)).toBeUndefined();
    expect(await store().insights.outcomeCounts('ghost-check')).toEqual([]);
  });

  it('counts only unexpired, unrevoked exemptions and audits every change', async (ctx) => {
    if (!t) return ctx.skip();
    const now = new Date('2026-06-01T00:00:00Z');
    const live = await store().exemptions.create({ entityRef: 'component:default/a', checkId: 'has-docs', reason: 'migrating docs', author: 'lead@acme', expiresAt: '2026-07-01T00:00:00.000Z' }, 'admin');
    await store().exemptions.create({ entityRef: 'component:default/a', checkId: 'has-owner', reason: 'old', author: 'lead@acme', expiresAt: '2026-05-01T00:00:00.000Z' }, 'admin');
    expect((await store().exemptions.active(now)).map((e) => e.checkId)).toEqual(['has-docs']);
    await store().exemptions.revoke(live.id, 'admin');
    expect(await store().exemptions.active(now)).toEqual([]);
    expect((await store().exemptions.audit()).map((a) => a.action)).toEqual(['exemption.revoke', 'exemption.create', 'exemption.create']);
  });
});
