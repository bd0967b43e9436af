/**
 * The HTTP half of the hostile-input corpus (test/hostile/corpus.ts): every bad request gets a
 * clear 4xx naming the place, the process stays up, and no table changes.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp, type TestApp } from '../../server/src/routes/test-app.js';
import { httpCorpus } from './corpus.js';

const TABLES = ['entities', 'facts', 'fact_history', 'entity_evaluations', 'results_by_check', 'check_outcome_counts', 'result_history', 'track_levels', 'level_history', 'exemptions', 'audit_log', 'api_tokens', 'gate_verdicts', 'jobs'] as const;

let t: TestApp;
beforeAll(async () => {
  t = (await openTestApp({ overrides: { rateLimitPerMinute: 100_000 } }))!;
});
afterAll(async () => {
  await t?.close();
});

async function rowCounts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of TABLES) out[table] = (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(t.runtime.store.db)).rows[0].n;
  return out;
}

describe('hostile HTTP input', () => {
  it.each(httpCorpus.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const before = await rowCounts();
    const body = typeof c.body === 'function' ? c.body() : c.body;
    const token = { admin: t.tokens.admin, ci: t.tokens.ciThis, read: t.tokens.read }[c.token];
    const started = Date.now();
    const res = await t.app.inject({
      method: c.method, url: c.url, payload: body,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': c.contentType ?? 'application/json' } : {}) },
    });
    const elapsed = Date.now() - started;
    expect(res.statusCode, res.body.slice(0, 500)).toBe(c.status);
    if (c.status >= 400) {
      const err = res.json().error;
      expect(err.code).toBe(c.code);
      if (c.names) expect(err.message).toMatch(c.names);
      // Nothing half-written by a refused request.
      expect(await rowCounts()).toEqual(before);
    }
    // A generous bound: the regex case must not backtrack for minutes (re2js is linear time).
    if (/regex/.test(c.name)) expect(elapsed).toBeLessThan(2_000);
    // And the process is still up and answering.
    expect((await t.app.inject({ url: '/healthz' })).statusCode).toBe(200);
  }, 60_000);

  it('the bad requests were logged without echoing their bodies', () => {
    const log = t.logs.join('');
    expect(log).not.toContain('xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx');
  });
});
