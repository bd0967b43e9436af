/**
 * Rescoring while other rescores run, as a server does: two full rescores (the hourly catalog sync
 * and the daily maintenance in two processes) and a stream of fact pushes, each followed by the
 * incremental rescore of its entity. Nothing may fail on another save, and when all is quiet every
 * stored figure must agree with the stored results, and every stored result with the facts.
 */
import { readFile } from 'node:fs/promises';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialects, openTestStore, type TestStore } from '../../../test/support/services.js';
import { exampleFactFiles } from '../cli/shared.js';
import { loadConfig } from '../config.js';
import { utcDay } from '../store/index.js';
import { SCORED_KINDS } from './engine-input.js';
import { evaluatePage } from './rescore.js';
import { Runtime } from './runtime.js';

describe.each(dialects)('rescores at the same time on %s', (dialect) => {
  let t: TestStore | null;
  let runtime: Runtime;

  beforeAll(async () => {
    t = await openTestStore(dialect);
    if (!t) return;
    runtime = await Runtime.open(loadConfig({}, { logLevel: 'silent' }), { store: t.store });
    await runtime.syncCatalog();
    for (const file of exampleFactFiles()) await runtime.pushFactDocument(JSON.parse(await readFile(file, 'utf8')), file, 'seed');
    await runtime.rescore();
  }, 60_000);
  afterAll(() => t?.close());

  it('full and incremental rescores of changing facts: none fails, and what is stored agrees with itself and with the facts', async (ctx) => {
    if (!t) return ctx.skip();
    const store = t.store;
    const scored = (await store.entities.list()).filter((e) => SCORED_KINDS.has(e.entity.kind.toLowerCase()));
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let round = 0; round < 4; round++) {
      const pushes = Array.from({ length: 12 }, async (_, i) => {
        const entity = scored[(round * 12 + i) % scored.length];
        // Coverage either side of the example checks' thresholds, so outcomes and levels move.
        const line = Math.round(random() * 100);
        await runtime.pushFactDocument({ facts: [{ entityRef: entity.ref, id: 'ci.coverage', data: { line, branch: line, function: line } }] }, 'test');
        await runtime.rescore({ refs: [entity.ref] });
      });
      const settled = await Promise.allSettled([runtime.rescore(), ...pushes, runtime.rescore()]);
      expect(settled.filter((s) => s.status === 'rejected').map((s) => String((s as PromiseRejectedResult).reason))).toEqual([]);
    }

    // Every stored result says what the facts now say: no save of an older evaluation came last.
    const fresh = await evaluatePage(store, runtime.definitions, scored, runtime.maxAges, new Date());
    const stale: string[] = [];
    for (const ev of fresh) {
      const stored = new Map((await store.results.resultsFor(ev.ref)).map((r) => [r.check_id, r.outcome]));
      for (const r of ev.results) if (stored.get(r.checkId) !== r.outcome) stale.push(`${ev.ref} ${r.checkId}: stored ${stored.get(r.checkId)}, facts say ${r.outcome}`);
    }
    expect(stale).toEqual([]);
    // The live per-check counts are those of the stored results.
    expect(await store.results.reconcileCheckCounts()).toEqual([]);
    // The rows kept by check are exactly the stored results that need attention.
    const { rows: mismatched } = await sql<{ n: number }>`
      with docs as (
        select r."checkId" as check_id, v.entity_ref, r.outcome
        from entity_evaluations v cross join json_to_recordset(v.results->'results') as r("checkId" text, outcome text)
        where v.results is not null and r.outcome in ('fail', 'error', 'unknown', 'exempt')
      )
      select count(*)::int as n from (
        (select check_id, entity_ref, outcome from docs except select check_id, entity_ref, outcome from results_by_check)
        union all
        (select check_id, entity_ref, outcome from results_by_check except select check_id, entity_ref, outcome from docs)
      ) d`.execute(store.db);
    expect(Number(mismatched[0].n)).toBe(0);
    // Today's roll-up rows and level counts follow the stored levels.
    const day = utcDay(new Date());
    const rolled = await store.db.selectFrom('rollup_entity_track_daily').select(['entity_ref', 'track_id', 'level', 'level_index'])
      .where('day', '=', day).orderBy('entity_ref').orderBy('track_id').execute();
    const levels = await store.db.selectFrom('track_levels').select(['entity_ref', 'track_id', 'level', 'level_index'])
      .orderBy('entity_ref').orderBy('track_id').execute();
    expect(rolled).toEqual(levels);
    const counted = await store.db.selectFrom('rollup_level_counts_daily').select(['track_id', 'level_index', 'entities'])
      .where('day', '=', day).where('owner', '=', '*').orderBy('track_id').orderBy('level_index').execute();
    const expected = new Map<string, number>();
    for (const l of levels) expected.set(`${l.track_id}/${l.level_index}`, (expected.get(`${l.track_id}/${l.level_index}`) ?? 0) + 1);
    expect(Object.fromEntries(counted.map((c) => [`${c.track_id}/${c.level_index}`, c.entities]))).toEqual(Object.fromEntries(expected));
  }, 120_000);
});
