/**
 * The bundled action (action/dist/index.js), run as the runner runs it, against a real
 * Yardstick server. Rebuild with `npm run build:action` after changing action/src.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPortUrl, ENTITY, HEAD_SHA, runAction, startServer, startSlowServer, writeStandards, lcov, junit, type TestServer } from './harness.js';

let server: TestServer;
let work: string;

beforeAll(async () => {
  server = await startServer();
  work = await mkdtemp(path.join(tmpdir(), 'ys-action-'));
});
afterAll(async () => {
  await server?.close();
  await rm(work, { recursive: true, force: true });
});

/** A workspace holding the given report files. */
async function workspace(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(work, 'ws-'));
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
  return dir;
}

const serverInputs = (extra: Record<string, string>) => ({ 'server-url': server.url, token: server.token, ...extra });

describe('action against a Yardstick server', () => {
  it('strict: passes when the required level holds, and says so in outputs and summary', async () => {
    const ws = await workspace({ 'reports/junit.xml': junit(0) });
    const run = await runAction(serverInputs({ tracks: 'gt-strict', junit: 'reports/junit.xml' }), { workspace: ws });
    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs.verdict).toBe('pass');
    expect(JSON.parse(run.outputs.levels)).toEqual({ [ENTITY]: { 'gt-strict': { base: 'bronze', head: 'bronze', required: 'bronze', passed: true } } });
    expect(run.outputs['report-url']).toBe('https://yardstick.test/entities/component/default/auth-service');
    expect(run.summary).toContain('✅ Yardstick gate passed');
    expect(run.summary).toContain('| [Auth service](https://yardstick.test/entities/component/default/auth-service) | Track gt-strict | Bronze | Bronze | Bronze | strict | ✅ pass |');
    // The silver check failing on both sides is shown, not blocking.
    expect(run.summary).toContain('gt-license');
  });

  it('strict: fails on a failing test report, with an annotation and the remediation', async () => {
    const ws = await workspace({ 'junit.xml': junit(2) });
    const run = await runAction(serverInputs({ tracks: 'gt-strict', junit: 'junit.xml' }), { workspace: ws });
    expect(run.code).toBe(1);
    expect(run.outputs.verdict).toBe('fail');
    expect(JSON.parse(run.outputs.levels)[ENTITY]['gt-strict']).toEqual({ base: 'bronze', head: null, required: 'bronze', passed: false });
    expect(run.stdout).toMatch(/::error title=Test check gt-tests-pass \(Track gt-strict%2C component%3Adefault\/auth-service\)::ci.tests.total was 5, ci.tests.failed was 2. Fix: Fix the failing tests./);
    expect(run.stdout).toContain('::error::Yardstick gate failed: 1 blocking check on 1 of 1 track. First: "Test check gt-tests-pass" — Fix the failing tests. Details in the job summary');
    expect(run.summary).toContain('❌ Yardstick gate failed');
    expect(run.summary).toContain('| Bronze | no level | Bronze | strict | ❌ fail |');
    expect(run.summary).toContain('Fix: Fix the failing tests.');
  });

  it('ratchet: legacy failures do not block', async () => {
    const ws = await workspace({ 'lcov.info': lcov(90) });
    const run = await runAction(serverInputs({ tracks: 'gt-ratchet', lcov: 'lcov.info' }), { workspace: ws });
    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs.verdict).toBe('pass');
    expect(run.summary).toContain('already failing on the default branch');
    expect(run.summary).toMatch(/1 check not passing that does not block/);
  });

  it('ratchet: a coverage report below the bar that the default branch meets is a regression', async () => {
    const ws = await workspace({ 'lcov.info': lcov(60) });
    const run = await runAction(serverInputs({ tracks: 'gt-ratchet', lcov: 'lcov.info' }), { workspace: ws });
    expect(run.code).toBe(1);
    expect(run.outputs.verdict).toBe('fail');
    expect(run.summary).toContain('breaks 1 check on Track gt-ratchet that passes on the default branch');
    expect(run.summary).toContain('(was pass on the default branch)');
    expect(run.stdout).toMatch(/::error title=Test check gt-coverage-75/);
  });

  it('mode input overrides the track: strict on the ratchet track blocks on the legacy failure', async () => {
    const ws = await workspace({ 'lcov.info': lcov(90) });
    const run = await runAction(serverInputs({ tracks: 'gt-ratchet', lcov: 'lcov.info', mode: 'strict' }), { workspace: ws });
    expect(run.code).toBe(1);
    expect(run.summary).toContain('| strict | ❌ fail |');
  });

  it('an unexpired exemption counts as passing', async () => {
    const run = await runAction(serverInputs({ tracks: 'gt-exempt' }));
    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs.verdict).toBe('pass');
  });

  it('an expired exemption does not', async () => {
    const run = await runAction(serverInputs({ tracks: 'gt-expired' }));
    expect(run.code).toBe(1);
    expect(run.outputs.verdict).toBe('fail');
    expect(run.summary).toContain('Add SECURITY.md.');
  });

  it('stores the PR facts under the sha and PR scopes, never the default branch', async () => {
    const ws = await workspace({ 'lcov.info': lcov(61) });
    await runAction(serverInputs({ tracks: 'gt-ratchet', lcov: 'lcov.info' }), { workspace: ws });
    const store = server.runtime.store;
    const line = async (scope: string) => ((await store.facts.latest([ENTITY], scope)).get(ENTITY) ?? []).find((f) => f.id === 'ci.coverage')?.data;
    expect(await line('')).toEqual({ line: 82 });
    expect(await line(`sha:${HEAD_SHA}`)).toMatchObject({ line: 61 });
    expect(await line('pr:42')).toMatchObject({ line: 61 });
    const [last] = await store.gates.list({ repo: 'larkspur/auth-service', sha: HEAD_SHA, limit: 1 });
    expect(last).toMatchObject({ pullRequest: 42, passed: false, definitionsVersion: server.runtime.definitions.version });
  });

  describe.each([
    ['fail', 1, 'error'],
    ['pass', 0, 'skipped'],
  ] as const)('server down, on-server-error %s', (onError, code, verdict) => {
    it(`exits ${code}`, async () => {
      const run = await runAction({ 'server-url': await closedPortUrl(), token: server.token, 'on-server-error': onError, tracks: 'gt-strict' });
      expect(run.code).toBe(code);
      expect(run.outputs.verdict).toBe(verdict);
      expect(run.stdout).toMatch(/cannot reach http:\/\/127\.0\.0\.1:\d+\/api\/v1\/gate: ECONNREFUSED/);
      if (onError === 'pass') expect(run.stdout).toContain('::warning title=Yardstick gate skipped::');
      else expect(run.stdout).toContain('::error::Yardstick could not decide');
    });
  });

  it.each([
    ['fail', 1, 'error'],
    ['pass', 0, 'skipped'],
  ] as const)('server slower than timeout-seconds, on-server-error %s → exit %i', async (onError, code, verdict) => {
    const slow = await startSlowServer(5000);
    try {
      const started = Date.now();
      const run = await runAction({ 'server-url': slow.url, token: server.token, 'timeout-seconds': '0.5', 'on-server-error': onError });
      expect(Date.now() - started).toBeLessThan(4000);
      expect(run.code).toBe(code);
      expect(run.outputs.verdict).toBe(verdict);
      expect(run.stdout).toContain('within 0.5 s');
    } finally {
      await slow.close();
    }
  });

  it.each([
    [{ 'server-url': 'http://127.0.0.1:1' }, 'Missing token: server mode needs a Yardstick API token'],
    [{ 'server-url': 'not a url', token: 'x' }, 'Invalid server-url: "not a url" is not a URL'],
    [{ 'server-url': 'ftp://yardstick.example.com', token: 'x' }, 'Invalid server-url: "ftp://yardstick.example.com" must start with https:// or http://'],
    [{ 'server-url': 'https://y.example.com', token: 'x', mode: 'lenient' }, 'Invalid mode: "lenient"'],
    [{ 'server-url': 'https://y.example.com', token: 'x', 'timeout-seconds': 'soon' }, 'Invalid timeout-seconds: "soon"'],
  ])('bad input %j → a clear error', async (inputs, message) => {
    const run = await runAction(inputs);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`::error::${message}`);
  });

  it('a token for another repository is refused with a hint', async () => {
    const run = await runAction({ 'server-url': server.url, token: server.otherToken, tracks: 'gt-strict' });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/::error::Yardstick refused the gate request \(403 YS_ERR_FORBIDDEN\): Not allowed: token "other-ci" may not act for repository larkspur\/auth-service/);
  });
});

describe('standalone action (no server)', () => {
  async function checkout(files: Record<string, string>): Promise<string> {
    const ws = await workspace(files);
    await writeStandards(path.join(ws, '.yardstick'));
    return ws;
  }
  const catalogInfo = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: auth-service
  annotations:
    github.com/project-slug: larkspur/auth-service
spec:
  type: service
  lifecycle: production
  owner: group:default/platform-team
`;

  it('passes on a checkout with a README and green tests', async () => {
    const ws = await checkout({ 'catalog-info.yaml': catalogInfo, 'README.md': '# Auth\n', 'junit.xml': junit(0) });
    const run = await runAction({ tracks: 'gt-strict', junit: 'junit.xml' }, { workspace: ws });
    expect(run.code, run.stdout).toBe(0);
    expect(run.outputs.verdict).toBe('pass');
    expect(run.summary).toContain('standalone');
    expect(run.summary).toContain('Standalone mode');
  });

  it('fails without a README, naming the check', async () => {
    const ws = await checkout({ 'catalog-info.yaml': catalogInfo, 'junit.xml': junit(0) });
    const run = await runAction({ tracks: 'gt-strict', junit: 'junit.xml' }, { workspace: ws });
    expect(run.code).toBe(1);
    expect(run.outputs.verdict).toBe('fail');
    expect(run.stdout).toMatch(/::error title=Test check gt-readme.*Fix: Add a README.md/);
  });

  it('explains a checkout without catalog-info.yaml', async () => {
    const ws = await checkout({ 'README.md': '# x\n' });
    const run = await runAction({}, { workspace: ws });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('::error::Standalone gate: no catalog-info.yaml or catalog-info.yml at the root of the checkout');
  });
});
