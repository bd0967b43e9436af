/**
 * GitHub misbehaving — 5xx bursts, secondary limits (403 and 429 with retry-after), answers slower
 * than the timeout, malformed JSON — through the scheduler's job path on a real store: collection
 * retries within its budget, keeps the last good facts, and once they are older than their
 * maximum age the checks reading them are `unknown`, never `pass`.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { seededSlug, startFakeGithub, type FakeGithub } from '../fake-github/server.js';
import { DAY_MS, formerPasses, linkedEntity, openFaultRuntime, type FaultRuntime } from './harness.js';

const GITHUB_FACTS = ['github.repository', 'github.branch-protection', 'github.files', 'github.security', 'github.actions'];
/** The largest max age of a GitHub fact, plus an hour. */
const PAST_MAX_AGE_MS = 2 * DAY_MS + 3_600_000;

let gh: FakeGithub;
let rt: FaultRuntime;
const entities = Array.from({ length: 7 }, (_, i) => linkedEntity(`gh-${i}`, { 'github.com/project-slug': seededSlug(i) }));

beforeAll(async () => {
  gh = await startFakeGithub({ repos: 10 });
  rt = await openFaultRuntime(
    { github: { apiUrl: gh.url, token: 'fault-suite-token' } },
    entities,
    // Short back-off and timeout so the suite stays quick; two retries is the budget under test.
    { github: { retries: 2, retryBaseMs: 5, requestTimeoutMs: 400, maxRateLimitWaitSeconds: 5, unavailableRecheckSeconds: 0 } },
  );
});
afterEach(() => gh.resetFaults());
afterAll(async () => {
  await rt?.close();
  await gh?.close();
});

async function factsOf(ref: string) {
  return (await rt.store.facts.latest([ref])).get(ref) ?? [];
}

/** Collect cleanly, then under `fault`; return what was stored before and after. */
async function collectUnder(i: number, fault: () => void) {
  const { ref } = entities[i];
  expect(await rt.collect('github', [ref])).toBeUndefined();
  const good = await factsOf(ref);
  expect(good.map((f) => f.id).sort()).toEqual([...GITHUB_FACTS].sort());
  const before = await rt.outcomes(ref, GITHUB_FACTS);
  expect(Object.values(before)).toContain('pass');
  fault();
  gh.resetCounters();
  const thrown = await rt.collect('github', [ref]);
  return { ref, good, before, thrown, after: await factsOf(ref), requests: gh.counters.total };
}

/** The last good facts are kept, carry the error, and go stale: every check that passed becomes unknown. */
async function expectKeptThenUnknown(r: Awaited<ReturnType<typeof collectUnder>>, errorText: RegExp) {
  const failed = r.after.filter((f) => f.lastError);
  expect(failed.length).toBeGreaterThan(0);
  for (const f of failed) {
    expect(f.lastError).toMatch(errorText);
    const old = r.good.find((g) => g.id === f.id)!;
    expect(f.data).toEqual(old.data);
    expect(f.collectedAt.getTime()).toBe(old.collectedAt.getTime());
  }
  // Still fresh: the verdicts stand on the last good data.
  expect(await rt.outcomes(r.ref, GITHUB_FACTS)).toEqual(r.before);
  // Past the maximum age: nothing that read those facts may pass.
  await rt.rescoreAt(new Date(Date.now() + PAST_MAX_AGE_MS), r.ref, GITHUB_FACTS);
  const stale = await rt.outcomes(r.ref, GITHUB_FACTS);
  const wasPass = formerPasses(r.before, stale);
  expect(Object.keys(wasPass).length).toBeGreaterThan(0);
  expect(Object.values(wasPass).every((o) => o === 'unknown')).toBe(true);
  expect(Object.values(stale)).not.toContain('pass');
  // And a clean collection brings them back.
  await rt.runtime.rescore();
  gh.resetFaults();
  expect(await rt.collect('github', [r.ref])).toBeUndefined();
  expect((await factsOf(r.ref)).every((f) => f.lastError === null)).toBe(true);
  expect(await rt.outcomes(r.ref, GITHUB_FACTS)).toEqual(r.before);
}

describe('GitHub faults through runJob → collectFor → store → rescore', () => {
  it('a burst of 502s shorter than the retry budget: retried, facts refreshed, no error recorded', async () => {
    const r = await collectUnder(0, () => { gh.faults.serverErrors = 2; });
    expect(r.thrown).toBeUndefined();
    expect(r.after.every((f) => f.lastError === null)).toBe(true);
    expect(gh.counters.byStatus['502']).toBe(2);
    expect(Math.min(...r.after.map((f) => f.collectedAt.getTime()))).toBeGreaterThanOrEqual(Math.max(...r.good.map((f) => f.collectedAt.getTime())));
    expect(await rt.outcomes(r.ref, GITHUB_FACTS)).toEqual(r.before);
  });

  it('502s beyond the retry budget: gives up after the budget, keeps the last good facts, stale → unknown', async () => {
    const r = await collectUnder(1, () => { gh.faults.serverErrors = 10_000; });
    expect(r.thrown).toBeUndefined();
    // One GraphQL request and its two retries, then the batch is reported failed: the budget holds.
    expect(r.requests).toBe(3);
    await expectKeptThenUnknown(r, /502|GraphQL request failed/);
  });

  it.each([403, 429] as const)('a secondary rate limit (%i with retry-after) is waited out and the sweep succeeds', async (status) => {
    const r = await collectUnder(status === 403 ? 2 : 3, () => Object.assign(gh.faults, { secondaryLimits: 1, secondaryStatus: status, retryAfterSeconds: 1 }));
    expect(r.thrown).toBeUndefined();
    expect(gh.counters.byStatus[String(status)]).toBe(1);
    expect(r.after.every((f) => f.lastError === null)).toBe(true);
    expect(await rt.outcomes(r.ref, GITHUB_FACTS)).toEqual(r.before);
  });

  it('a secondary limit that never lifts: the sweep stops within its budget and keeps the last good facts', async () => {
    const r = await collectUnder(4, () => Object.assign(gh.faults, { secondaryLimits: 10_000, secondaryStatus: 429, retryAfterSeconds: 1 }));
    expect(r.thrown).toBeUndefined();
    expect(r.requests).toBeLessThanOrEqual(4);
    await expectKeptThenUnknown(r, /rate limit|429|GraphQL request failed/i);
  }, 30_000);

  it('answers slower than the request timeout: each request is abandoned, retried, then reported', async () => {
    const r = await collectUnder(5, () => { gh.faults.slowMs = 3_000; });
    expect(r.thrown).toBeUndefined();
    await expectKeptThenUnknown(r, /timed out|timeout|no answer/i);
  }, 30_000);

  it('truncated JSON on every answer: reported, last good facts kept, stale → unknown', async () => {
    const r = await collectUnder(6, () => { gh.faults.malformedJson = 10_000; });
    expect(r.thrown).toBeUndefined();
    await expectKeptThenUnknown(r, /JSON|malformed|Unexpected|parse/i);
  });
});
