import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatProblems } from '../engine/index.js';
import { loadDefinitionsFromDisk } from '../scoring/index.js';
import { dialects } from '../../../test/support/services.js';
import type {
  CheckDetail, CheckList, EntityFacts, EntityHistory, EntityList, ExemptionItem, ExemptionList, Overview, PreviewResponse,
  Scorecard, TeamDetail, TeamList, TeamTrend, TrackDetail, TrackList,
} from './api-types.js';
import { bearer, EXAMPLE_PATH, EXAMPLE_REF, openTestApp, type TestApp } from './test-app.js';

describe.each(dialects)('read routes on %s', (dialect) => {
  let t: TestApp | null;
  beforeAll(async () => {
    t = await openTestApp({ dialect });
  });
  afterAll(async () => {
    await t?.close();
  });
  const get = async <T>(url: string) => {
    const res = await t!.app.inject({ url, headers: bearer(t!.tokens.read) });
    return { status: res.statusCode, body: res.json() as T };
  };

  it('lists entities with paging, total and filters', async (ctx) => {
    if (!t) return ctx.skip();
    const all = await get<EntityList>('/api/v1/entities?limit=5');
    expect(all.status).toBe(200);
    expect(all.body.items).toHaveLength(5);
    expect(all.body.total).toBeGreaterThan(20);
    const page2 = await get<EntityList>('/api/v1/entities?limit=5&offset=5');
    expect(page2.body.items[0].ref).not.toBe(all.body.items[0].ref);
    const team = await get<EntityList>('/api/v1/entities?owner=payments-team&kind=component');
    expect(team.body.items.length).toBeGreaterThan(0);
    expect(team.body.items.every((e) => e.owner === 'group:default/payments-team' && e.kind === 'component')).toBe(true);
    const q = await get<EntityList>('/api/v1/entities?q=payments-a');
    expect(q.body.items.map((e) => e.ref)).toContain(EXAMPLE_REF);
  });

  it('filters by track level: atLeast (default) includes higher levels, exact does not', async (ctx) => {
    if (!t) return ctx.skip();
    const atLeast = await get<EntityList>('/api/v1/entities?track=basics&level=silver&limit=500');
    const exact = await get<EntityList>('/api/v1/entities?track=basics&level=silver&levelMode=exact&limit=500');
    const gold = await get<EntityList>('/api/v1/entities?track=basics&level=gold&levelMode=exact&limit=500');
    const none = await get<EntityList>('/api/v1/entities?track=basics&level=none&levelMode=exact&limit=500');
    expect(atLeast.body.total).toBe(exact.body.total + gold.body.total);
    for (const e of exact.body.items) expect(e.levels.find((l) => l.trackId === 'basics')?.level).toBe('silver');
    for (const e of none.body.items) expect(e.levels.find((l) => l.trackId === 'basics')?.level).toBeNull();
    expect((await get('/api/v1/entities?level=silver')).status).toBe(400);
    expect((await get('/api/v1/entities?track=basics&level=diamond')).status).toBe(400);
    expect((await get('/api/v1/entities?track=nope&level=silver')).status).toBe(404);
    expect((await get('/api/v1/entities?limit=0')).status).toBe(400);
  });

  it('returns a scorecard with levels, checks grouped by level, explanations and remediation', async (ctx) => {
    if (!t) return ctx.skip();
    const { status, body } = await get<Scorecard>(`/api/v1/entities/${EXAMPLE_PATH}`);
    expect(status).toBe(200);
    expect(body.entity.ref).toBe(EXAMPLE_REF);
    const basics = body.tracks.find((x) => x.trackId === 'basics')!;
    expect(basics.levels.map((l) => l.id)).toEqual(['bronze', 'silver', 'gold']);
    const cov = basics.levels[1].checks.find((c) => c.checkId === 'coverage-60')!;
    expect(cov.values).toHaveProperty(['ci.coverage.line']);
    expect(cov.remediation).toMatch(/coverage/);
    expect(cov.effort).toBe('high');
  });

  it('answers 404 for an unknown entity and 400 for a malformed ref', async (ctx) => {
    if (!t) return ctx.skip();
    const missing = await get<{ error: { code: string } }>('/api/v1/entities/component/default/no-such-thing');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('YS_ERR_ENTITY_NOT_FOUND');
    const bad = await get<{ error: { code: string } }>('/api/v1/entities/comp%20onent/default/x');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('YS_ERR_ENTITY_REF_INVALID');
    expect((await get('/api/v1/entities/component/default/-bad-/history')).status).toBe(400);
    expect((await get('/api/v1/entities/component/default/no-such-thing/facts')).status).toBe(404);
  });

  it('returns history, facts with age and staleness, and fact history', async (ctx) => {
    if (!t) return ctx.skip();
    const h = await get<EntityHistory>(`/api/v1/entities/${EXAMPLE_PATH}/history`);
    expect(h.status).toBe(200);
    expect(h.body.levelChanges.length).toBeGreaterThan(0);
    expect(h.body.daily.length).toBeGreaterThan(0);
    expect(h.body.daily.length).toBeLessThanOrEqual(1000);
    const f = await get<EntityFacts>(`/api/v1/entities/${EXAMPLE_PATH}/facts`);
    const cov = f.body.facts.find((x) => x.id === 'ci.coverage')!;
    expect(cov.ageSeconds).toBeGreaterThanOrEqual(0);
    expect(typeof cov.stale).toBe('boolean');
    const fh = await get<{ items: unknown[] }>(`/api/v1/entities/${EXAMPLE_PATH}/facts/history?factId=ci.coverage`);
    expect(fh.body.items.length).toBe(1);
    expect((await get(`/api/v1/entities/${EXAMPLE_PATH}/facts/history?scope=main`)).status).toBe(400);
  });

  it('summarises teams, one team, and its trend', async (ctx) => {
    if (!t) return ctx.skip();
    const teams = await get<TeamList>('/api/v1/teams');
    expect(teams.status).toBe(200);
    const payments = teams.body.items.find((x) => x.name === 'payments-team')!;
    expect(payments.components).toBeGreaterThan(0);
    expect(payments.health).toBeGreaterThanOrEqual(0);
    expect(payments.health).toBeLessThanOrEqual(100);
    const basics = payments.tracks.find((x) => x.trackId === 'basics')!;
    expect(basics.levels[0].levelId).toBeNull();
    const one = await get<TeamDetail>('/api/v1/teams/payments-team');
    expect(one.body.components.length).toBe(payments.components);
    const blocks = one.body.blockingChecks.map((b) => b.blocks);
    expect(blocks).toEqual([...blocks].sort((a, b) => b - a));
    const levelIds = new Map(one.body.tracks.map((x) => [x.trackId, x.levels.map((l) => l.id)]));
    expect(one.body.blockingChecks.length).toBeGreaterThan(0);
    for (const b of one.body.blockingChecks) expect(levelIds.get(b.trackId)).toContain(b.levelId);
    const trend = await get<TeamTrend>('/api/v1/teams/payments-team/trend?days=30');
    expect(trend.body.series.length).toBeGreaterThan(0);
    expect((await get('/api/v1/teams/nobody')).status).toBe(404);
    expect((await get('/api/v1/teams/payments-team/trend?days=9999')).status).toBe(400);
  });

  it('lists checks and tracks with counts, history and distributions', async (ctx) => {
    if (!t) return ctx.skip();
    const checks = await get<CheckList>('/api/v1/checks');
    expect(checks.body.items.length).toBeGreaterThan(10);
    const one = await get<CheckDetail>('/api/v1/checks/coverage-60');
    expect(one.body.definition).toHaveProperty('rule');
    expect(one.body.facts).toEqual(['ci.coverage']);
    expect(one.body.daily.length).toBeGreaterThan(0);
    for (const f of one.body.failing) expect(['fail', 'error', 'unknown']).toContain(f.outcome);
    expect((await get('/api/v1/checks/nope')).status).toBe(404);
    const tracks = await get<TrackList>('/api/v1/tracks');
    expect(tracks.body.items.map((x) => x.id)).toEqual([...t.runtime.definitions.tracks.keys()]);
    const track = await get<TrackDetail>('/api/v1/tracks/basics');
    expect(track.body.distribution.total).toBeGreaterThan(0);
    expect(track.body.daily[0].total).toBe(track.body.distribution.total);
    expect((await get('/api/v1/tracks/nope')).status).toBe(404);
  });

  it('builds the overview', async (ctx) => {
    if (!t) return ctx.skip();
    const o = await get<Overview>('/api/v1/overview');
    expect(o.status).toBe(200);
    expect(o.body.tracks).toHaveLength(t.runtime.definitions.tracks.size);
    expect(o.body.daily.length).toBeGreaterThan(0);
    for (const d of o.body.daily) {
      const shares = d.atOrAbove.map((x) => x.share);
      expect(shares).toEqual([...shares].sort((a, b) => b - a));
    }
    const health = o.body.teams.map((x) => x.health ?? -1);
    expect(health).toEqual([...health].sort((a, b) => b - a));
    expect(o.body.mostFailingChecks.length).toBeGreaterThan(0);
  });
});

describe('write routes, errors and limits (PGlite)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = (await openTestApp({ overrides: { bodyLimitBytes: 64 * 1024 } }))!;
  });
  afterAll(async () => {
    await t.close();
  });
  const admin = () => bearer(t.tokens.admin);

  it('answers invalid JSON with 400, an oversize body with 413 and a bad body with 400 naming the path', async () => {
    const bad = await t.app.inject({ method: 'POST', url: '/api/v1/facts', headers: { ...admin(), 'content-type': 'application/json' }, payload: '{"facts": [' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('YS_ERR_REQUEST_INVALID');
    const big = await t.app.inject({ method: 'POST', url: '/api/v1/facts', headers: admin(), payload: { facts: [{ entityRef: EXAMPLE_REF, id: 'ci.coverage', data: { pad: 'x'.repeat(70 * 1024) } }] } });
    expect(big.statusCode).toBe(413);
    expect(big.json().error.code).toBe('YS_ERR_BODY_TOO_LARGE');
    const shape = await t.app.inject({ method: 'POST', url: '/api/v1/exemptions', headers: admin(), payload: { entityRef: EXAMPLE_REF, checkId: 'has-docs', reason: 'legacy' } });
    expect(shape.statusCode).toBe(400);
    expect(shape.json().error.message).toMatch(/expiresAt/);
    expect(JSON.stringify(shape.json())).not.toMatch(/at .*\.(ts|js):\d+/);
  });

  it('stores pushed facts, rescoring default-branch entities only, and reports every problem with a pointer', async () => {
    const bad = await t.app.inject({
      method: 'POST', url: '/api/v1/facts', headers: admin(),
      payload: { facts: [{ entityRef: EXAMPLE_REF, id: 'ci.coverage', data: { line: 'high' } }, { entityRef: EXAMPLE_REF, id: 'ci.nope', data: {} }] },
    });
    expect(bad.statusCode).toBe(422);
    const pointers = (bad.json().error.details as { pointer: string }[]).map((d) => d.pointer);
    expect(pointers).toEqual(expect.arrayContaining(['/facts/0/data/line', '/facts/1/id']));

    const pr = await t.app.inject({ method: 'POST', url: '/api/v1/facts', headers: admin(), payload: { facts: [{ entityRef: EXAMPLE_REF, id: 'ci.coverage', data: { line: 10 }, scope: 'pr:42' }] } });
    expect(pr.statusCode).toBe(200);
    expect(pr.json().rescored).toBe(0);
    const facts = (await t.app.inject({ url: `/api/v1/entities/${EXAMPLE_PATH}/facts`, headers: admin() })).json() as EntityFacts;
    expect((facts.facts.find((f) => f.id === 'ci.coverage')!.data as { line: number }).line).not.toBe(10);

    const main = await t.app.inject({ method: 'POST', url: '/api/v1/facts', headers: admin(), payload: { facts: [{ entityRef: EXAMPLE_REF, id: 'ci.coverage', data: { line: 10, branch: 10, function: 10 } }] } });
    expect(main.statusCode).toBe(200);
    expect(main.json()).toMatchObject({ written: 1, changed: 1, rescored: 1 });
    const card = (await t.app.inject({ url: `/api/v1/entities/${EXAMPLE_PATH}`, headers: admin() })).json() as Scorecard;
    expect(card.tracks.find((x) => x.trackId === 'basics')!.levels[1].checks.find((c) => c.checkId === 'coverage-60')!.outcome).toBe('fail');
  });

  it('creates, lists and revokes exemptions (audited, rescored) and stops counting them once expired', async () => {
    const expiresAt = new Date(t.clock.now.getTime() + 10 * 86_400_000).toISOString();
    const past = await t.app.inject({ method: 'POST', url: '/api/v1/exemptions', headers: admin(), payload: { entityRef: EXAMPLE_REF, checkId: 'coverage-60', reason: 'migrating', expiresAt: '2001-01-01T00:00:00Z' } });
    expect(past.statusCode).toBe(422);
    const far = await t.app.inject({ method: 'POST', url: '/api/v1/exemptions', headers: admin(), payload: { entityRef: EXAMPLE_REF, checkId: 'coverage-60', reason: 'migrating', expiresAt: new Date(t.clock.now.getTime() + 400 * 86_400_000).toISOString() } });
    expect(far.statusCode).toBe(422);
    const unknownCheck = await t.app.inject({ method: 'POST', url: '/api/v1/exemptions', headers: admin(), payload: { entityRef: EXAMPLE_REF, checkId: 'nope', reason: 'migrating', expiresAt } });
    expect(unknownCheck.statusCode).toBe(422);

    const created = await t.app.inject({ method: 'POST', url: '/api/v1/exemptions', headers: admin(), payload: { entityRef: EXAMPLE_REF, checkId: 'coverage-60', reason: 'migrating the test runner', expiresAt } });
    expect(created.statusCode).toBe(201);
    const ex = created.json() as ExemptionItem;
    expect(ex).toMatchObject({ author: 'platform-admin', status: 'expiring' });
    const outcome = async () => ((await t.app.inject({ url: `/api/v1/entities/${EXAMPLE_PATH}`, headers: admin() })).json() as Scorecard)
      .tracks.find((x) => x.trackId === 'basics')!.levels[1].checks.find((c) => c.checkId === 'coverage-60')!;
    expect((await outcome()).outcome).toBe('exempt');
    const expiring = (await t.app.inject({ url: '/api/v1/exemptions?status=expiring', headers: admin() })).json() as ExemptionList;
    expect(expiring.items.map((i) => i.id)).toContain(ex.id);

    // Time passes beyond the expiry: the scorecard no longer counts it.
    const saved = t.clock.now;
    t.clock.now = new Date(saved.getTime() + 11 * 86_400_000);
    expect((await outcome()).outcome).toBe('fail');
    const active = (await t.app.inject({ url: '/api/v1/exemptions', headers: admin() })).json() as ExemptionList;
    expect(active.items.map((i) => i.id)).not.toContain(ex.id);
    t.clock.now = saved;
    await t.app.inject({ method: 'DELETE', url: `/api/v1/exemptions/${ex.id}`, headers: admin() });

    const again = (await t.app.inject({ method: 'POST', url: '/api/v1/exemptions', headers: admin(), payload: { entityRef: EXAMPLE_REF, checkId: 'coverage-60', reason: 'second try', expiresAt } })).json() as ExemptionItem;
    const revoked = await t.app.inject({ method: 'DELETE', url: `/api/v1/exemptions/${again.id}`, headers: admin() });
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json().status).toBe('revoked');
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/exemptions/${again.id}`, headers: admin() })).statusCode).toBe(404);
    const all = (await t.app.inject({ url: '/api/v1/exemptions?status=all', headers: admin() })).json() as ExemptionList;
    expect(all.items.find((i) => i.id === again.id)?.status).toBe('revoked');
    const audit = (await t.app.inject({ url: '/api/v1/audit?action=exemption.', headers: admin() })).json() as { items: { action: string; actor: string }[] };
    expect(audit.items.map((a) => a.action)).toEqual(expect.arrayContaining(['exemption.create', 'exemption.revoke']));
    expect(audit.items.every((a) => a.actor === 'platform-admin')).toBe(true);
  });

  it('previews a tightened check: exactly the entities below the new bar drop from silver', async () => {
    const { runtime } = t;
    const draft = { ...runtime.definitions.checks.get('coverage-60')!.definition, rule: { '>=': [{ var: 'ci.coverage.line' }, 90] } };
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/preview', headers: bearer(t.tokens.read), payload: { checks: [draft] } });
    expect(res.statusCode).toBe(200);
    const body = res.json() as PreviewResponse;

    const levels = (await runtime.store.results.allLevels()).filter((l) => l.track_id === 'basics' && l.level_index >= 1);
    const entities = await runtime.store.entities.list({ refs: levels.map((l) => l.entity_ref) });
    const facts = await runtime.store.facts.latest(entities.map((e) => e.ref));
    const expected = entities.filter((e) => {
      const type = e.entity.spec?.type as string;
      const line = (facts.get(e.ref)?.find((f) => f.id === 'ci.coverage')?.data as { line?: number } | undefined)?.line;
      return ['service', 'website', 'library'].includes(type) && typeof line === 'number' && line < 90;
    }).map((e) => e.ref).sort();
    expect(expected.length).toBeGreaterThan(0);
    const silver = body.summary.find((s) => s.trackId === 'basics')!.levels.find((l) => l.levelId === 'silver')!;
    expect([...silver.dropped].sort()).toEqual(expected);
    const dropped = body.entities.filter((e) => e.levelChanges.some((c) => c.trackId === 'basics' && c.direction === 'down')).map((e) => e.ref).sort();
    expect(dropped).toEqual(expected);
    expect(body.summary.find((s) => s.trackId === 'basics')!.lines.join('\n')).toMatch(/drop from silver/);
    // Nothing stored: the definitions in force are unchanged.
    expect(runtime.definitions.checks.get('coverage-60')!.definition.rule).toEqual({ '>=': [{ var: 'ci.coverage.line' }, 60] });
  });

  it('rejects an invalid draft with 422 and the same problems as check validate', async () => {
    const draft = { ...t.runtime.definitions.checks.get('coverage-60')!.definition, rule: { '>=': [{ var: 'ci.coverage.lines' }, 90] } };
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/preview', headers: bearer(t.tokens.read), payload: { checks: [draft] } });
    expect(res.statusCode).toBe(422);
    const err = res.json().error as { code: string; details: { file: string; pointer: string; message: string }[] };
    expect(err.code).toBe('YS_ERR_DEFINITIONS_INVALID');
    expect(err.details[0].file).toBe('draft:checks/coverage-60.json');

    // The same files on disk (the draft in place of the current check), through the loader `yardstick check validate` uses.
    const dir = await mkdtemp(join(tmpdir(), 'ys-preview-'));
    try {
      const { mkdir } = await import('node:fs/promises');
      await mkdir(join(dir, 'checks'));
      await mkdir(join(dir, 'tracks'));
      for (const c of t.runtime.definitions.checks.values()) await writeFile(join(dir, 'checks', `${c.definition.id}.json`), JSON.stringify(c.definition));
      for (const tr of t.runtime.definitions.tracks.values()) await writeFile(join(dir, 'tracks', `${tr.definition.id}.json`), JSON.stringify(tr.definition));
      await writeFile(join(dir, 'checks', 'coverage-60.json'), JSON.stringify(draft));
      const { problems } = await loadDefinitionsFromDisk({ checksDir: join(dir, 'checks'), tracksDir: join(dir, 'tracks') });
      const normalise = (s: string) => s.split(dir).join('').replace(/^\/?(draft:)?/gm, '');
      expect(problems.length).toBe(err.details.length);
      expect(normalise(formatProblems(err.details))).toBe(normalise(formatProblems(problems)));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reports and reloads definitions', async () => {
    const info = await t.app.inject({ url: '/api/v1/definitions', headers: bearer(t.tokens.read) });
    expect(info.json()).toMatchObject({ version: t.runtime.definitions.version, tracks: t.runtime.definitions.tracks.size });
    const reload = await t.app.inject({ method: 'POST', url: '/api/v1/definitions/reload', headers: admin() });
    expect(reload.statusCode).toBe(200);
    expect(reload.json()).toMatchObject({ changed: false, version: t.runtime.definitions.version });
  });

  it('refreshes an entity and draws badges (svg and shields.io json)', async () => {
    const refresh = await t.app.inject({ method: 'POST', url: `/api/v1/entities/${EXAMPLE_PATH}/refresh`, headers: bearer(t.tokens.ciThis) });
    expect(refresh.statusCode).toBe(200);
    expect(refresh.json().levels.map((l: { trackId: string }) => l.trackId)).toEqual(expect.arrayContaining(['basics', 'security']));
    const json = await t.app.inject({ url: `/api/v1/badges/${EXAMPLE_PATH}/basics.json`, headers: bearer(t.tokens.read) });
    expect(json.statusCode).toBe(200);
    expect(json.json()).toMatchObject({ schemaVersion: 1, label: 'basics' });
    const svg = await t.app.inject({ url: `/api/v1/badges/${EXAMPLE_PATH}/security.svg`, headers: bearer(t.tokens.read) });
    expect(svg.headers['content-type']).toMatch(/image\/svg\+xml/);
    expect(svg.body).toMatch(/^<svg[^>]+>.*security.*<\/svg>$/s);
    expect((await t.app.inject({ url: `/api/v1/badges/${EXAMPLE_PATH}/nope.svg`, headers: bearer(t.tokens.read) })).statusCode).toBe(404);
    expect((await t.app.inject({ url: `/api/v1/badges/${EXAMPLE_PATH}/basics.png`, headers: bearer(t.tokens.read) })).statusCode).toBe(400);
  });

  it('serves health, readiness, OpenAPI, Swagger UI and the build hint; unknown API paths are YS 404s', async () => {
    expect((await t.app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await t.app.inject({ url: '/readyz' })).statusCode).toBe(200);
    const doc = await t.app.inject({ url: '/api/v1/openapi.json' });
    expect(doc.statusCode).toBe(200);
    const paths = Object.keys(doc.json().paths);
    expect(paths).toEqual(expect.arrayContaining(['/api/v1/entities', '/api/v1/entities/{kind}/{namespace}/{name}', '/api/v1/facts', '/api/v1/preview', '/api/v1/overview']));
    expect((await t.app.inject({ url: '/docs/' })).statusCode).toBe(200);
    const home = await t.app.inject({ url: '/' });
    expect(home.body).toMatch(/npm run build/);
    expect(home.headers['content-security-policy']).toMatch(/default-src 'self'/);
    const nope = await t.app.inject({ url: '/api/v1/nope' });
    expect(nope.statusCode).toBe(404);
    expect(nope.json().error.code).toBe('YS_ERR_ROUTE_NOT_FOUND');
  });

  it('never logs a token', async () => {
    await t.app.inject({ url: '/api/v1/entities', headers: admin() });
    await t.app.inject({ url: '/api/v1/entities', headers: bearer('ys_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA') });
    t.app.log.info({ config: t.runtime.config, token: t.tokens.read }, 'config dump');
    const all = t.logs.join('');
    expect(all).toMatch(/\[redacted\]/);
    for (const token of Object.values(t.tokens)) expect(all).not.toContain(token);
    expect(all).not.toMatch(/ys_000000000000_A/);
  });
});
