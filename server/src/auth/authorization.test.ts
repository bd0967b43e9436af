/**
 * The authorization matrix: every route × every kind of caller → the expected status, and no
 * write lands without the right scope.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, EXAMPLE_PATH, EXAMPLE_REF, openTestApp, type TestApp } from '../routes/test-app.js';

type Caller = 'none' | 'bad' | 'read' | 'ciOther' | 'ciThis' | 'admin';
const CALLERS: Caller[] = ['none', 'bad', 'read', 'ciOther', 'ciThis', 'admin'];
const BAD_TOKEN = 'ys_0123456789ab_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

interface Row {
  method: 'GET' | 'POST' | 'DELETE';
  url: string | (() => string);
  body?: unknown | (() => unknown);
  access: 'public' | 'read' | 'ci-repo' | 'admin';
  ok?: number;
}

const expected = (access: Row['access'], caller: Caller, ok: number): number => {
  if (access === 'public') return ok;
  if (caller === 'none' || caller === 'bad') return 401;
  if (access === 'read') return ok;
  if (access === 'admin') return caller === 'admin' ? ok : 403;
  return caller === 'ciThis' || caller === 'admin' ? ok : 403;
};

describe('authorization matrix', () => {
  let t: TestApp;
  let exemptionId = '';
  const future = () => new Date(Date.now() + 30 * 86_400_000).toISOString();

  const rows: Row[] = [
    { method: 'GET', url: '/healthz', access: 'public' },
    { method: 'GET', url: '/readyz', access: 'public' },
    { method: 'GET', url: '/api/v1/healthz', access: 'public' },
    { method: 'GET', url: '/api/v1/readyz', access: 'public' },
    { method: 'GET', url: '/api/v1/openapi.json', access: 'public' },
    { method: 'GET', url: '/api/v1/entities', access: 'read' },
    { method: 'GET', url: `/api/v1/entities/${EXAMPLE_PATH}`, access: 'read' },
    { method: 'GET', url: `/api/v1/entities/${EXAMPLE_PATH}/history`, access: 'read' },
    { method: 'GET', url: `/api/v1/entities/${EXAMPLE_PATH}/facts`, access: 'read' },
    { method: 'GET', url: `/api/v1/entities/${EXAMPLE_PATH}/facts/history`, access: 'read' },
    { method: 'GET', url: '/api/v1/teams', access: 'read' },
    { method: 'GET', url: '/api/v1/teams/payments-team', access: 'read' },
    { method: 'GET', url: '/api/v1/teams/payments-team/trend', access: 'read' },
    { method: 'GET', url: '/api/v1/checks', access: 'read' },
    { method: 'GET', url: '/api/v1/checks/has-owner', access: 'read' },
    { method: 'GET', url: '/api/v1/tracks', access: 'read' },
    { method: 'GET', url: '/api/v1/tracks/basics', access: 'read' },
    { method: 'GET', url: '/api/v1/overview', access: 'read' },
    { method: 'GET', url: '/api/v1/exemptions', access: 'read' },
    { method: 'GET', url: '/api/v1/definitions', access: 'read' },
    { method: 'GET', url: `/api/v1/badges/${EXAMPLE_PATH}/basics.svg`, access: 'read' },
    { method: 'GET', url: `/api/v1/badges/${EXAMPLE_PATH}/basics.json`, access: 'read' },
    { method: 'POST', url: '/api/v1/preview', body: { checks: [] }, access: 'read' },
    { method: 'POST', url: '/api/v1/facts', body: { facts: [{ entityRef: EXAMPLE_REF, id: 'ci.coverage', data: { line: 77.7, branch: 70, function: 80 } }] }, access: 'ci-repo' },
    { method: 'POST', url: `/api/v1/entities/${EXAMPLE_PATH}/refresh`, access: 'ci-repo' },
    { method: 'POST', url: '/api/v1/exemptions', body: () => ({ entityRef: EXAMPLE_REF, checkId: 'has-docs', reason: 'matrix test', expiresAt: future() }), access: 'admin', ok: 201 },
    { method: 'DELETE', url: () => `/api/v1/exemptions/${exemptionId}`, access: 'admin' },
    { method: 'POST', url: '/api/v1/definitions/reload', access: 'admin' },
    { method: 'GET', url: '/api/v1/audit', access: 'admin' },
    { method: 'GET', url: '/api/v1/me', access: 'read' },
    { method: 'POST', url: '/api/v1/gate', body: { repo: 'larkspur/payments-api', sha: 'abcdef1234567' }, access: 'ci-repo' },
    { method: 'GET', url: '/api/v1/gate/verdicts?repo=larkspur/payments-api', access: 'ci-repo' },
  ];

  /** Routes that authenticate by other means than a token (they are tested where they live). */
  const otherwiseAuthenticated = ['POST /api/v1/webhooks/github'];

  const headers = (caller: Caller) => {
    if (caller === 'none') return {};
    if (caller === 'bad') return bearer(BAD_TOKEN);
    return bearer(t.tokens[caller]);
  };
  const call = (row: Row, caller: Caller) => t.app.inject({
    method: row.method,
    url: typeof row.url === 'function' ? row.url() : row.url,
    headers: headers(caller),
    ...(row.body !== undefined ? { payload: (typeof row.body === 'function' ? (row.body as () => unknown)() : row.body) as object } : {}),
  });

  /** Everything a write could touch. */
  const snapshot = async () => {
    const db = t.runtime.store.db;
    const count = async (table: 'facts' | 'fact_history' | 'exemptions' | 'audit_log' | 'api_tokens' | 'result_history' | 'level_history') =>
      Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    return {
      facts: await count('facts'), factHistory: await count('fact_history'), exemptions: await count('exemptions'),
      audit: await count('audit_log'), tokens: await count('api_tokens'), resultHistory: await count('result_history'), levelHistory: await count('level_history'),
      revoked: (await db.selectFrom('exemptions').select('id').where('revoked_at', 'is not', null).execute()).length,
      factTimes: (await db.selectFrom('facts').select('collected_at').execute()).map((r) => new Date(r.collected_at).getTime()).sort().join(','),
      evaluated: (await db.selectFrom('track_levels').select('evaluated_at').execute()).map((r) => new Date(r.evaluated_at).getTime()).sort().join(','),
      definitions: t.runtime.definitions.version,
    };
  };

  beforeAll(async () => {
    t = (await openTestApp())!;
    const created = await t.runtime.store.exemptions.create({ entityRef: EXAMPLE_REF, checkId: 'has-tags', reason: 'fixture', author: 'test', expiresAt: future() }, 'test');
    exemptionId = created.id;
  });
  afterAll(async () => {
    await t.close();
  });

  it('refuses every caller without the right scope, and nothing is written', async () => {
    const before = await snapshot();
    const seen: string[] = [];
    for (const row of rows) {
      for (const caller of CALLERS) {
        const want = expected(row.access, caller, row.ok ?? 200);
        if (want < 400) continue;
        const res = await call(row, caller);
        seen.push(`${row.method} ${typeof row.url === 'function' ? row.url() : row.url} as ${caller}: ${res.statusCode}`);
        expect(res.statusCode, `${row.method} ${typeof row.url === 'function' ? row.url() : row.url} as ${caller}`).toBe(want);
        expect(res.json().error.code).toMatch(want === 401 ? /^YS_ERR_AUTH_(REQUIRED|INVALID)$/ : /^YS_ERR_FORBIDDEN$/);
      }
    }
    expect(seen.length).toBeGreaterThan(60);
    expect(await snapshot()).toEqual(before);
  });

  it('covers every route the API exposes (a new route must join the matrix)', () => {
    const spec = (t.app as unknown as { swagger(): { paths: Record<string, Record<string, unknown>> } }).swagger();
    const missing: string[] = [];
    for (const [path, methods] of Object.entries(spec.paths)) {
      const pattern = new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}$`);
      for (const method of Object.keys(methods)) {
        const name = `${method.toUpperCase()} ${path}`;
        const covered = rows.some((r) => r.method === method.toUpperCase() && pattern.test((typeof r.url === 'function' ? r.url() : r.url).split('?')[0]))
          || otherwiseAuthenticated.some((o) => o === name);
        if (!covered) missing.push(name);
      }
    }
    expect(missing).toEqual([]);
  });

  it('lets every caller with the right scope through', async () => {
    for (const row of rows) {
      for (const caller of CALLERS) {
        const want = expected(row.access, caller, row.ok ?? 200);
        if (want >= 400) continue;
        // Revoking works once; recreate the fixture for the next caller.
        if (row.method === 'DELETE') {
          exemptionId = (await t.runtime.store.exemptions.create({ entityRef: EXAMPLE_REF, checkId: 'has-tags', reason: 'fixture', author: 'test', expiresAt: future() }, 'test')).id;
        }
        const res = await call(row, caller);
        expect(res.statusCode, `${row.method} ${typeof row.url === 'function' ? row.url() : row.url} as ${caller}: ${res.body.slice(0, 300)}`).toBe(want);
      }
    }
  });

  it('refuses a revoked token and a token with a valid id but the wrong secret', async () => {
    const [id] = t.tokens.read.slice(3).split('_');
    const forged = `ys_${id}_${'B'.repeat(43)}`;
    expect((await t.app.inject({ url: '/api/v1/entities', headers: bearer(forged) })).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/api/v1/entities', headers: { authorization: `Basic ${t.tokens.read}` } })).statusCode).toBe(401);
    // Tokens read for authentication are cached for a few seconds; a revocation still takes effect at once.
    expect((await t.app.inject({ url: '/api/v1/entities', headers: bearer(t.tokens.read) })).statusCode).toBe(200);
    await t.runtime.store.tokens.revoke(id, 'test');
    expect((await t.app.inject({ url: '/api/v1/entities', headers: bearer(t.tokens.read) })).statusCode).toBe(401);
  });

  it('records when a token was last used', async () => {
    const [id] = t.tokens.admin.slice(3).split('_');
    await t.app.inject({ url: '/api/v1/definitions', headers: bearer(t.tokens.admin) });
    await new Promise((r) => setTimeout(r, 50));
    expect((await t.runtime.store.tokens.get(id))?.lastUsedAt).not.toBeNull();
  });
});

describe('public reads', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = (await openTestApp({ overrides: { publicReads: true } }))!;
  });
  afterAll(async () => {
    await t.close();
  });

  it('serves reads and badges without a token, but never writes, and still refuses a bad token', async () => {
    expect((await t.app.inject({ url: '/api/v1/overview' })).statusCode).toBe(200);
    expect((await t.app.inject({ url: `/api/v1/badges/${EXAMPLE_PATH}/basics.svg` })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/facts', payload: { facts: [] } })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/audit' })).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/api/v1/overview', headers: bearer(BAD_TOKEN) })).statusCode).toBe(401);
  });
});
