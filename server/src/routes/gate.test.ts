/** POST /api/v1/gate through app.inject: contract, errors, scopes, and a store that goes away. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTITY, HEAD_SHA, REPO, startServer, type TestServer } from '../../../action/test/harness.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.close();
});

const post = (body: unknown, token: string | undefined = server.token) =>
  server.app.inject({ method: 'POST', url: '/api/v1/gate', payload: body as object, headers: token ? { authorization: `Bearer ${token}` } : {} });

describe('POST /api/v1/gate', () => {
  it('answers the documented contract', async () => {
    const res = await post({ repo: REPO, sha: HEAD_SHA.toUpperCase(), pullRequest: 7, baseRef: 'main', tracks: ['gt-ratchet'], facts: [{ id: 'ci.coverage', data: { line: 74.9 } }] });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      verdict: 'fail', passed: false, repo: REPO, sha: HEAD_SHA, pullRequest: 7, baseRef: 'main', entities: [ENTITY],
      definitionsVersion: server.runtime.definitions.version, source: 'server',
      reportUrl: 'https://yardstick.test/entities/component/default/auth-service',
    });
    expect(body.verdictId).toMatch(/^\d+$/);
    expect(body.summaryMarkdown).toContain('❌ Yardstick gate failed');
    expect(body.tracks).toHaveLength(1);
    expect(body.tracks[0]).toMatchObject({
      entityRef: ENTITY, trackId: 'gt-ratchet', trackName: 'Track gt-ratchet', mode: 'ratchet', requiredLevel: 'bronze',
      baseLevel: null, headLevel: null, passed: false, fixed: [],
      newlyFailing: [{ checkId: 'gt-coverage-75', outcome: 'fail', baseOutcome: 'pass', blocking: true, remediation: 'Cover the new code with tests.', message: 'ci.coverage.line was 74.9' }],
      stillFailing: [{ checkId: 'gt-license', blocking: false }],
    });
  });

  it('gates every track with a gate by default', async () => {
    const res = await post({ repo: REPO, sha: HEAD_SHA });
    expect(res.statusCode).toBe(200);
    expect(res.json().tracks.map((t: { trackId: string }) => t.trackId).sort()).toEqual(['gt-exempt', 'gt-expired', 'gt-ratchet', 'gt-strict']);
  });

  it.each([
    [{ sha: HEAD_SHA }, "body must have required property 'repo'"],
    [{ repo: REPO, sha: 'main' }, 'body/sha must match pattern'],
    [{ repo: REPO, sha: HEAD_SHA, mode: 'lenient' }, 'body/mode must be equal to one of the allowed values'],
    [{ repo: REPO, sha: HEAD_SHA, surprise: 1 }, 'must NOT have additional properties'],
  ])('refuses an invalid body %j with 400', async (body, message) => {
    const res = await post(body);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('YS_ERR_REQUEST_INVALID');
    expect(res.json().error.message).toContain(message);
  });

  it('refuses facts that do not match their schema, naming the pointer', async () => {
    const res = await post({ repo: REPO, sha: HEAD_SHA, facts: [{ id: 'ci.coverage', data: { line: 140 } }, { id: 'ci.nope', data: {} }] });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('YS_ERR_FACT_INVALID');
    expect(res.json().error.message).toContain('/facts/0/data/line: must be <= 100');
    expect(res.json().error.message).toContain('/facts/1/id: unknown fact id "ci.nope"');
  });

  it('404 YS_ERR_GATE_NO_ENTITIES for a repository the catalog does not know', async () => {
    const res = await post({ repo: 'larkspur/unknown', sha: HEAD_SHA }, server.adminToken);
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('YS_ERR_GATE_NO_ENTITIES');
    expect(res.json().error.message).toContain('github.com/project-slug: larkspur/unknown');
  });

  it('422 for an unknown track or an entity of another repository', async () => {
    expect((await post({ repo: REPO, sha: HEAD_SHA, tracks: ['nope'] })).json().error.code).toBe('YS_ERR_GATE_TRACK_UNKNOWN');
    const foreign = await post({ repo: REPO, sha: HEAD_SHA, entities: ['component:default/ledger-service'] });
    expect(foreign.statusCode).toBe(422);
    expect(foreign.json().error.code).toBe('YS_ERR_GATE_ENTITY_NOT_IN_REPO');
  });

  it('needs a ci token for the repository, or admin', async () => {
    expect((await post({ repo: REPO, sha: HEAD_SHA }, '')).statusCode).toBe(401);
    expect((await post({ repo: REPO, sha: HEAD_SHA }, server.otherToken)).statusCode).toBe(403);
    expect((await post({ repo: REPO, sha: HEAD_SHA, tracks: ['gt-exempt'] }, server.adminToken)).statusCode).toBe(200);
  });

  it('lists recorded verdicts', async () => {
    const res = await server.app.inject({ url: `/api/v1/gate/verdicts?repo=${REPO}&pullRequest=7`, headers: { authorization: `Bearer ${server.token}` } });
    expect(res.statusCode).toBe(200);
    expect(res.json().items[0]).toMatchObject({ repo: REPO, sha: HEAD_SHA, pullRequest: 7, passed: false });
  });

  it('answers 503, never a verdict, when the store is gone', async () => {
    await server.runtime.store.close();
    const res = await post({ repo: REPO, sha: HEAD_SHA }, server.adminToken);
    expect(res.statusCode).toBe(503);
    expect(res.json().error.code).toBe('YS_ERR_STORE_UNAVAILABLE');
  });
});
