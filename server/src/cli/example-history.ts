/**
 * Made-up history for the example organisation, so its charts have something to show on the
 * first start: 90 days of daily levels walked back from today's (mostly climbing, with a few
 * regressions) and per-check pass counts drifting the same way. Written once, only when the
 * store has no earlier day; it is example data like the rest of `examples/`.
 */
import type { Definitions } from '../engine/index.js';
import type { Store } from '../store/index.js';
import { seededRandom as random } from '../seeded-random.js';
import { utcDay } from '../store/index.js';

const DAYS = 90;

export async function seedExampleHistory(store: Store, definitions: Definitions, now = new Date()): Promise<boolean> {
  const today = utcDay(now);
  const first = await store.results.firstRollupDay();
  if (first !== null && first < today) return false;
  const dayOf = (back: number) => utcDay(new Date(now.getTime() - back * 86_400_000));
  const levelIds = new Map([...definitions.tracks].map(([id, t]) => [id, t.definition.levels.map((l) => l.id)]));
  const owners = new Map((await store.entities.list()).map((e) => [e.ref, e.owner]));

  const entityTrack: Parameters<Store['results']['backfill']>[0]['entityTrack'] = [];
  const levelChanges: Parameters<Store['results']['backfill']>[0]['levelChanges'] = [];
  for (const row of await store.results.allLevels()) {
    const levels = levelIds.get(row.track_id) ?? [];
    const rnd = random(`${row.entity_ref}|${row.track_id}`);
    let idx = row.level_index;
    for (let back = 1; back < DAYS; back++) {
      const later = idx;
      const r = rnd();
      // Walking back in time: levels were usually lower; now and then one was lost since.
      if (r < 0.025 && idx >= 0) idx -= 1;
      else if (r > 0.994 && idx < levels.length - 1) idx += 1;
      if (idx !== later) {
        levelChanges.push({
          entity_ref: row.entity_ref, track_id: row.track_id, level: levels[later] ?? null, previous_level: levels[idx] ?? null,
          level_index: later, previous_level_index: idx, at: new Date(`${dayOf(back - 1)}T09:00:00Z`),
        });
      }
      entityTrack.push({ day: dayOf(back), entity_ref: row.entity_ref, track_id: row.track_id, owner: owners.get(row.entity_ref) ?? null, level: levels[idx] ?? null, level_index: idx });
    }
  }

  const checks: Parameters<Store['results']['backfill']>[0]['checks'] = [];
  for (const row of await store.results.checkRollup(today)) {
    const rnd = random(`${row.check_id}|${row.owner}`);
    let pass = row.pass;
    let fail = row.fail;
    for (let back = 1; back < DAYS; back++) {
      if (rnd() < 0.04 && pass > 0) {
        pass -= 1;
        fail += 1;
      }
      checks.push({ ...row, day: dayOf(back), pass, fail });
    }
  }
  await store.results.backfill({ entityTrack, checks, levelChanges });
  return true;
}
