import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore, type TestStore } from '../../../test/support/services.js';
import { loadConfig } from '../config.js';
import { Runtime } from '../scoring/index.js';
import { seedExampleHistory } from './example-history.js';
import { exampleFactFiles } from './shared.js';

describe('example history', () => {
  let t: TestStore;
  let runtime: Runtime;
  beforeAll(async () => {
    t = (await openTestStore('pglite'))!;
    runtime = await Runtime.open(loadConfig({}, { logLevel: 'silent' }), { store: t.store });
    await runtime.syncCatalog();
    for (const file of exampleFactFiles()) await runtime.pushFactDocument(JSON.parse(await readFile(file, 'utf8')), file, 'seed');
    await runtime.rescore();
  });
  afterAll(() => t?.close());

  it('adds 90 days of daily levels ending at today\'s, once', async () => {
    const now = new Date();
    expect(await seedExampleHistory(t.store, runtime.definitions, now)).toBe(true);
    const levels = await t.store.results.allLevels();
    const rows = await t.store.db.selectFrom('rollup_entity_track_daily').selectAll().execute();
    expect(rows).toHaveLength(levels.length * 90);
    const days = new Set(rows.map((r) => r.day));
    expect(days.size).toBe(90);
    // Every level change recorded joins two consecutive days of the series.
    const changes = await t.store.db.selectFrom('level_history').selectAll().where('previous_level_index', 'is not', null).execute();
    expect(changes.length).toBeGreaterThan(0);
    expect(await seedExampleHistory(t.store, runtime.definitions, now)).toBe(false);
    expect(await t.store.db.selectFrom('rollup_entity_track_daily').selectAll().execute()).toHaveLength(rows.length);
  });
});
