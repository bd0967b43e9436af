/**
 * Fact history growth: `days` of hourly sweeps over every fact of N components where 2% of the
 * facts change per sweep. The first few sweeps go through `facts.write` for real (cost per sweep,
 * and what rewriting the unchanged 98% does to the `facts` table); the rest of the history rows
 * are inserted with bulk SQL in the shape `facts.write` gives them (one row per changed fact,
 * same data size plus a counter, a sha256 hash). The figure is the measured on-disk size of
 * `facts` + `fact_history` (tables, indexes, TOAST) once all of them are in.
 */
import { openStore } from '../server/src/store/index.js';
import type { FactWrite } from '../server/src/store/index.js';
import { createBenchDatabase, pgClient } from './bench-store.js';
import { syntheticEntities, syntheticFacts } from './synthetic-org.js';

export interface FactGrowth {
  components: number;
  days: number;
  sweeps: number;
  realSweeps: number;
  factsPerSweep: number;
  changedPerSweep: number;
  /** Mean wall time of one real sweep through `facts.write`. */
  sweepMs: number;
  historyRows: number;
  factsBytes: number;
  historyBytes: number;
  totalBytes: number;
  /** Size after the initial write and after the real sweeps, to show where growth comes from. */
  afterInitialBytes: number;
  afterRealSweepsBytes: number;
}

const CHANGE_MODULUS = 50; // 1 in 50 = 2% per sweep

export async function runFactGrowthBench(options: { components: number; days: number; realSweeps: number; log?: (m: string) => void }): Promise<FactGrowth> {
  const { components, days, realSweeps } = options;
  const sweeps = days * 24;
  const db = await createBenchDatabase();
  const store = await openStore({ databaseUrl: db.url, dataDir: 'memory://' });
  const client = pgClient(db.url);
  await client.connect();
  const size = async () => {
    const r = await client.query(`select pg_total_relation_size('facts')::bigint as f, pg_total_relation_size('fact_history')::bigint as h`);
    return { facts: Number(r.rows[0].f), history: Number(r.rows[0].h) };
  };
  try {
    const org = syntheticEntities(components);
    const t0 = new Date(Date.now() - days * 86_400_000);
    const seeds = new Map(org.components.map((c, i) => [c.ref, 1000 + i]));
    const base: FactWrite[] = org.components.flatMap((c) => syntheticFacts(c.ref, seeds.get(c.ref)!, t0));
    await store.facts.write(base);
    const s0 = await size();
    const times: number[] = [];
    let changedPerSweep = 0;
    for (let s = 1; s <= realSweeps; s++) {
      const at = new Date(t0.getTime() + s * 3_600_000);
      const batch = base.map((f, k) => {
        if ((k + s * 7) % CHANGE_MODULUS !== 0) return { ...f, collectedAt: at };
        const j = k % 5;
        return { ...syntheticFacts(f.entityRef, seeds.get(f.entityRef)!, t0, s)[j], collectedAt: at };
      });
      const t = performance.now();
      const w = await store.facts.write(batch);
      times.push(performance.now() - t);
      changedPerSweep = w.changed;
      options.log?.(`  growth: real sweep ${s}: ${w.changed} changed of ${w.written} in ${(times[times.length - 1] / 1000).toFixed(1)} s`);
    }
    const s1 = await size();
    // The remaining sweeps' history rows, 24 sweeps (a day) per statement.
    for (let from = realSweeps + 1; from < sweeps; from += 24) {
      const to = Math.min(sweeps - 1, from + 23);
      await client.query(`
        insert into fact_history (entity_ref, fact_id, scope, data, hash, source, collected_at)
        select f.entity_ref, f.fact_id, '', jsonb_set(f.data, '{sweep}', to_jsonb(s)),
          encode(sha256(convert_to(f.entity_ref || f.fact_id || s::text, 'UTF8')), 'hex'), f.source,
          $1::timestamptz + s * interval '1 hour'
        from generate_series(${from}, ${to}) as s
        join facts f on ((hashtext(f.entity_ref || f.fact_id) & 2147483647) + s) % ${CHANGE_MODULUS} = 0`, [t0]);
      if ((to + 1) % (24 * 10) === 0) options.log?.(`  growth: history through sweep ${to}`);
    }
    const count = await client.query('select count(*)::bigint as n from fact_history');
    const s2 = await size();
    return {
      components, days, sweeps, realSweeps, factsPerSweep: base.length, changedPerSweep,
      sweepMs: times.reduce((a, b) => a + b, 0) / Math.max(1, times.length),
      historyRows: Number(count.rows[0].n), factsBytes: s2.facts, historyBytes: s2.history, totalBytes: s2.facts + s2.history,
      afterInitialBytes: s0.facts + s0.history, afterRealSweepsBytes: s1.facts + s1.history,
    };
  } finally {
    await client.end();
    await store.close();
    await db.drop();
  }
}
