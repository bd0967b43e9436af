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
import { allSyntheticFacts, syntheticDefinitions, syntheticEntities } from './synthetic-org.js';

export interface RescoreProfile {
  components: number;
  firstMs: number;
  steadyMs: number;
  nextDayMs: number;
  reloadMs: number;
}

export async function runRescoreProfile({ components = 10_000, pglite = false, cpuProfile = '', log = (_: string) => {} } = {}): Promise<RescoreProfile> {
  const [profilePhase, profileFile] = cpuProfile ? [cpuProfile.slice(0, cpuProfile.indexOf(':')), cpuProfile.slice(cpuProfile.indexOf(':') + 1)] : ['', ''];
  const db = pglite ? undefined : await createBenchDatabase();
  const runtime = await openBenchRuntime(db?.url);
  const now = new Date(Date.UTC(2026, 10, 26, 9));
  try {
    const org = syntheticEntities(components);
    await runtime.store.entities.sync(org.entities);
    await runtime.store.facts.write(allSyntheticFacts(org, now));
    log(`stored ${components} components and their facts`);
    const timed = async (label: string, at: Date, phase: string) => {
      const session = phase === profilePhase ? new Session() : undefined;
      if (session) {
        session.connect();
        await session.post('Profiler.enable');
        await session.post('Profiler.start');
      }
      const t0 = performance.now();
      const s = await runtime.rescore({ now: at });
      const ms = Math.round(performance.now() - t0);
      if (session) {
        const { profile } = await session.post('Profiler.stop');
        await writeFile(profileFile, JSON.stringify(profile));
        session.disconnect();
      }
      log(`${label}: ${ms} ms (${s.entities} entities, ${s.unchanged} unchanged, ${s.outcomeChanges} outcome changes)`);
      return ms;
    };
    const firstMs = await timed('first', now, 'first');
    const steadyMs = await timed('steady', new Date(now.getTime() + 60_000), 'steady');
    const nextDayMs = await timed('next day', new Date(now.getTime() + 86_400_000), 'next-day');
    // A reload with the same checks under a new version: every entity's fingerprint changes.
    const reloaded = syntheticDefinitions().definitions;
    runtime.useDefinitions({ ...reloaded, version: `${reloaded.version}-reloaded` });
    const reloadMs = await timed('after a definitions reload', new Date(now.getTime() + 86_400_000 + 60_000), 'reload');
    return { components, firstMs, steadyMs, nextDayMs, reloadMs };
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
