/**
 * The full-rescore figure of `bench/run.ts` on its own: N synthetic components × 200 checks on a
 * fresh PostgreSQL database (or PGlite with --pglite), without the runner's year of history, which
 * a rescore only appends to. Times the first rescore (every row new), a steady one a minute later
 * (nothing changed), the first of the next day (nothing changed but the day) and one after a
 * definitions reload, and splits the first into evaluation and store time.
 *
 *   npx tsx bench/rescore-profile.ts [--components=10000] [--pglite] [--cpu-profile=<phase>:<file>]
 *
 * `--cpu-profile=reload:/tmp/reload.cpuprofile` writes a V8 CPU profile of that phase alone
 * (first, steady, next-day or reload) for Chrome DevTools or `speedscope`.
 */
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { pathToFileURL } from 'node:url';
import { createBenchDatabase, openBenchRuntime } from './bench-store.js';
import type { Runtime } from '../server/src/scoring/index.js';
import { allSyntheticFacts, syntheticEntities } from './synthetic-org.js';

export interface RescorePhases {
  entities: number;
  /** Every result, level and roll-up row new (an organisation's first scoring). */
  firstMs: number;
  /** A moment later in the same hour (see `laterInTheHour`), nothing changed. */
  steadyMs: number;
  /** A day later: the day's roll-up rows are new; rules reading the clock (`age_days`) re-score everyone. */
  nextDayMs: number;
  /** The same checks reloaded under a new definitions version: every entity re-evaluated, outcomes unchanged. */
  reloadMs: number;
  firstOutcomeChanges: number;
  nextDayOutcomeChanges: number;
}

export interface RescoreProfile extends RescorePhases {
  components: number;
}

/**
 * A minute, or less when `at` is in the last two minutes of its hour: "a moment later" must stay in
 * the same UTC hour, which rules reading the clock (`age_days`) make part of every fingerprint.
 * (A run started at 05:59 once measured its steady rescore as a new hour's.)
 */
export function laterInTheHour(at: Date): number {
  return Math.min(60_000, Math.floor((3_600_000 - (at.getTime() % 3_600_000)) / 2));
}

/**
 * Time the four kinds of full rescore on a runtime whose entities and facts are stored, the first at
 * `start`. Leaves the runtime on reloaded definitions (same checks, new version) scored at
 * `start` + 1 day + a moment (see `laterInTheHour`). `profile` names a phase to write a CPU profile of.
 */
export async function timeRescorePhases(runtime: Runtime, start: Date, log: (m: string) => void, profile?: { phase: string; file: string }): Promise<RescorePhases> {
  const timed = async (label: string, at: Date, phase: string) => {
    const session = phase === profile?.phase ? new Session() : undefined;
    if (session) {
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
    }
    const t0 = performance.now();
    const s = await runtime.rescore({ now: at });
    const ms = Math.round(performance.now() - t0);
    if (session) {
      const { profile: cpu } = await session.post('Profiler.stop');
      await writeFile(profile!.file, JSON.stringify(cpu));
      session.disconnect();
    }
    log(`${label}: ${ms} ms (${s.entities} entities, ${s.unchanged} unchanged, ${s.outcomeChanges} outcome changes; ms ${JSON.stringify(s.timings)})`);
    return { ms, s };
  };
  const later = laterInTheHour(start);
  const first = await timed('first', start, 'first');
  const steady = await timed('steady', new Date(start.getTime() + later), 'steady');
  const nextDay = await timed('next day', new Date(start.getTime() + 86_400_000), 'next-day');
  // A reload with the same checks under a new version: every entity's fingerprint changes.
  const reloaded = runtime.definitions;
  runtime.useDefinitions({ ...reloaded, version: `${reloaded.version}-reloaded` });
  const reload = await timed('after a definitions reload', new Date(start.getTime() + 86_400_000 + later), 'reload');
  return {
    entities: first.s.entities, firstMs: first.ms, steadyMs: steady.ms, nextDayMs: nextDay.ms, reloadMs: reload.ms,
    firstOutcomeChanges: first.s.outcomeChanges, nextDayOutcomeChanges: nextDay.s.outcomeChanges,
  };
}

export async function runRescoreProfile({ components = 10_000, pglite = false, cpuProfile = '', log = (_: string) => {} } = {}): Promise<RescoreProfile> {
  const split = cpuProfile.indexOf(':');
  const profile = split > 0 ? { phase: cpuProfile.slice(0, split), file: cpuProfile.slice(split + 1) } : undefined;
  const db = pglite ? undefined : await createBenchDatabase();
  const runtime = await openBenchRuntime(db?.url);
  const now = new Date(Date.UTC(2026, 10, 26, 9));
  try {
    const org = syntheticEntities(components);
    await runtime.store.entities.sync(org.entities);
    await runtime.store.facts.write(allSyntheticFacts(org, now));
    log(`stored ${components} components and their facts`);
    return { components, ...(await timeRescorePhases(runtime, now, log, profile)) };
  } finally {
    await runtime.close();
    await db?.drop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const arg = (name: string, d: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? d);
  const cpuProfile = process.argv.find((a) => a.startsWith('--cpu-profile='))?.slice('--cpu-profile='.length) ?? '';
  runRescoreProfile({ components: arg('components', 10_000), pglite: process.argv.includes('--pglite'), cpuProfile, log: (m) => process.stderr.write(`[rescore] ${m}\n`) })
    .then((r) => console.log(JSON.stringify(r, null, 2)));
}
