import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { appKeyPair, seededSlug, startFakeGithub, type FakeGithub } from '../../../../test/fake-github/server.js';
import { createGithubCollector } from './collector.js';
import { githubFactSchemas } from './schemas.js';
import { context, entityFor } from './test-helpers.js';

const ajv = new Ajv2020({ allErrors: true, strict: false });
const validators = Object.fromEntries(Object.entries(githubFactSchemas).map(([id, s]) => [id, ajv.compile(s)]));

let gh: FakeGithub;
let tokenSeq = 0;
/** Each test its own token: its own rate budget and octokit limiter group. */
const settings = (extra: Record<string, unknown> = {}) => ({ apiUrl: gh.url, token: `test-token-${++tokenSeq}`, retryBaseMs: 5, ...extra });
const factOf = (run: { facts: { entityRef: string; id: string; data: unknown }[] }, ref: string, id: string) =>
  run.facts.find((f) => f.entityRef === ref && f.id === id)?.data as Record<string, any> | undefined;

beforeAll(async () => {
  gh = await startFakeGithub({ repos: 40 });
});
afterEach(() => gh.resetFaults());
afterAll(async () => {
  await gh?.close();
});

describe('github collector against the fake GitHub', () => {
  it('collects all five facts that match the repositories and validate against their schemas', async () => {
    const entities = [0, 1, 2, 3, 4].map((i) => entityFor(seededSlug(i)));
    const collector = createGithubCollector();
    const run = await collector.collect(context(entities, settings()));
    expect(run.errors).toEqual([]);
    expect(run.facts).toHaveLength(25);
    for (const f of run.facts) {
      const ok = validators[f.id](f.data);
      expect(ok, `${f.id} ${JSON.stringify(validators[f.id].errors)}`).toBe(true);
    }
    const r0 = gh.repo(seededSlug(0));
    const ref0 = entities[0].ref;
    expect(factOf(run, ref0, 'github.repository')).toMatchObject({
      visibility: r0.visibility, archived: false, defaultBranch: 'main', license: 'Apache-2.0', topics: r0.topics,
      description: r0.description, pushedAt: r0.pushedAt, openPullRequests: r0.openPullRequests.length,
    });
    expect(factOf(run, ref0, 'github.branch-protection')).toEqual({
      enabled: true, source: 'branch-protection', requiredReviews: 2, dismissStaleReviews: true, requireCodeOwnerReviews: true,
      requiredStatusChecks: ['build', 'test'], strictStatusChecks: r0.protection!.strict, enforceAdmins: true,
      allowForcePushes: false, allowDeletions: false, requireLinearHistory: r0.protection!.linearHistory, requireSignedCommits: r0.protection!.signedCommits,
    });
    expect(factOf(run, ref0, 'github.files')).toMatchObject({
      readme: true, codeowners: true, codeownersErrors: 0, license: true, securityPolicy: true, contributing: true, dependabot: true, renovate: false,
    });
    expect(factOf(run, ref0, 'github.files')!.workflows).toEqual(r0.files.filter((f) => f.startsWith('.github/workflows/')).map((f) => f.split('/').pop()).sort());
    const sec = factOf(run, ref0, 'github.security')!;
    expect(sec.dependabot).toEqual({ enabled: true, open: expect.objectContaining({ total: r0.dependabotAlerts.length }) });
    expect(sec.codeScanning.open.total).toBe(r0.codeScanningAlerts.length);
    expect(sec.codeScanning.open.critical).toBe(r0.codeScanningAlerts.filter((s) => s === 'critical').length);
    // Repo 3 has no classic protection, only a ruleset.
    expect(factOf(run, entities[3].ref, 'github.branch-protection')).toMatchObject({
      enabled: true, source: 'rulesets', requiredReviews: 1, dismissStaleReviews: true, requiredStatusChecks: ['ci/lint'], allowForcePushes: false, allowDeletions: false,
    });
    const stats = collector.lastRunStats!;
    expect(stats.repositories).toBe(5);
    expect(stats.graphql).toBe(1);
    expect(stats.counted).toBe(stats.network - stats.notModified);
  });

  it('computes Actions health over the last N default-branch runs', async () => {
    const slug = seededSlug(0);
    const r = gh.repo(slug);
    const completed = r.runs.filter((x) => x.branch === r.defaultBranch).sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, 20);
    const counted = completed.filter((x) => x.conclusion !== 'skipped');
    const run = await createGithubCollector().collect(context([entityFor(slug)], settings()));
    const actions = factOf(run, 'component:default/svc-0000', 'github.actions')!;
    expect(actions.runs).toBe(counted.length);
    expect(actions.successRate).toBeCloseTo(counted.filter((x) => x.conclusion === 'success').length / counted.length, 3);
    expect(actions.workflows).toBeGreaterThan(0);
    expect(actions.lastSuccessAgeDays).toBe(0);
    expect(actions.medianDurationSeconds).toBeGreaterThanOrEqual(60);
  });

  it('follows Link pagination for workflow runs', async () => {
    gh.resetCounters();
    const run = await createGithubCollector().collect(context([entityFor(seededSlug(0))], settings({ workflowRuns: 20, runsPageSize: 5 })));
    expect(run.errors).toEqual([]);
    expect(gh.counters.byRoute['GET /repos/{o}/{r}/actions/runs']).toBe(4);
    expect(factOf(run, 'component:default/svc-0000', 'github.actions')!.runs).toBeGreaterThan(5);
  });

  it('sends If-None-Match on the next sweep, gets 304s, and the counted requests per repository drop', async () => {
    const entities = Array.from({ length: 20 }, (_, i) => entityFor(seededSlug(i)));
    const collector = createGithubCollector();
    const ctx = context(entities, settings());
    const first = await collector.collect(ctx);
    const firstStats = collector.lastRunStats!;
    gh.resetCounters();
    const second = await collector.collect(ctx);
    const steady = collector.lastRunStats!;
    expect(second.facts).toEqual(first.facts.map((f) => ({ ...f, collectedAt: expect.any(Date) })));
    expect(gh.counters.notModified).toBe(gh.counters.rest);
    expect(steady.notModified).toBeGreaterThan(0);
    expect(steady.counted).toBe(1); // the GraphQL batch
    expect(steady.requestsPerRepository).toBeLessThan(firstStats.requestsPerRepository / 10);
    expect(steady.requestsPerRepository).toBeLessThanOrEqual(0.3);
    // A change on GitHub shows up: a new alert is a fresh 200 for that repository only.
    gh.repo(seededSlug(0)).dependabotAlerts.push('critical');
    const third = await collector.collect(ctx);
    expect(collector.lastRunStats!.counted).toBe(2);
    expect(factOf(third, entities[0].ref, 'github.security')!.dependabot.open.critical).toBe(
      gh.repo(seededSlug(0)).dependabotAlerts.filter((s) => s === 'critical').length,
    );
  });

  it('records security features that are disabled or forbidden as enabled: false', async () => {
    const run = await createGithubCollector().collect(context([entityFor(seededSlug(1)), entityFor(seededSlug(10))], settings()));
    expect(run.errors).toEqual([]);
    const disabled = factOf(run, 'component:default/svc-0001', 'github.security')!;
    expect(disabled).toEqual({
      dependabot: { enabled: false, reason: 'disabled', open: { critical: 0, high: 0, medium: 0, low: 0, total: 0 } },
      codeScanning: { enabled: false, reason: 'disabled', open: { critical: 0, high: 0, medium: 0, low: 0, total: 0 } },
      secretScanning: { enabled: false, reason: 'disabled', open: 0 },
    });
    const forbidden = factOf(run, 'component:default/svc-0010', 'github.security')!;
    expect(forbidden.dependabot).toMatchObject({ enabled: false, reason: 'no-access' });
    expect(validators['github.security'](forbidden)).toBe(true);
  });

  it('turns a missing repository into an error entry and still collects the others', async () => {
    const entities = [entityFor(seededSlug(0)), entityFor('acme/does-not-exist'), entityFor('not a slug', 'bad')];
    const run = await createGithubCollector().collect(context(entities, settings()));
    expect(run.errors).toEqual([
      { entityRef: 'component:default/bad', message: expect.stringContaining('owner/name') },
      { entityRef: 'component:default/does-not-exist', message: expect.stringContaining('not found') },
    ]);
    expect(run.facts.filter((f) => f.entityRef === entities[0].ref)).toHaveLength(5);
  });

  it('reports an archived repository as archived and still reads it', async () => {
    const run = await createGithubCollector().collect(context([entityFor(seededSlug(2))], settings()));
    expect(run.errors).toEqual([]);
    expect(factOf(run, 'component:default/svc-0002', 'github.repository')).toMatchObject({ archived: true });
    expect(run.facts).toHaveLength(5);
  });

  it('waits out a secondary rate limit as retry-after says', async () => {
    gh.faults.secondaryLimits = 1;
    gh.faults.retryAfterSeconds = 1;
    const collector = createGithubCollector();
    const t0 = Date.now();
    const run = await collector.collect(context([entityFor(seededSlug(0))], settings()));
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
    expect(run.errors).toEqual([]);
    expect(run.facts).toHaveLength(5);
    expect(collector.lastRunStats!.secondaryLimits).toBe(1);
    expect(gh.faults.secondaryLimits).toBe(0);
  });

  it('retries a burst of 5xx answers', async () => {
    gh.faults.serverErrors = 2;
    gh.resetCounters();
    const run = await createGithubCollector().collect(context([entityFor(seededSlug(0))], settings()));
    expect(run.errors).toEqual([]);
    expect(run.facts).toHaveLength(5);
    expect(gh.counters.byStatus['502']).toBe(2);
  });

  it('gives up on a request once retries run out, and reports it instead of throwing', async () => {
    gh.faults.serverErrors = 1; // the sweep's first request is the GraphQL batch
    const run = await createGithubCollector().collect(context([entityFor(seededSlug(0))], settings({ retries: 0 })));
    expect(run.facts).toHaveLength(0);
    expect(run.errors).toEqual([{ entityRef: 'component:default/svc-0000', message: expect.stringContaining('GraphQL request failed') }]);
  });

  it('reports a malformed JSON answer as an error of that fact only', async () => {
    gh.faults.route = '/secret-scanning/';
    gh.faults.malformedJson = 1;
    const run = await createGithubCollector().collect(context([entityFor(seededSlug(0))], settings()));
    expect(run.errors).toEqual([{ entityRef: 'component:default/svc-0000', factId: 'github.security', message: expect.stringContaining('secret scanning') }]);
    expect(run.facts.map((f) => f.id).sort()).toEqual(['github.actions', 'github.branch-protection', 'github.files', 'github.repository']);
    gh.faults.route = undefined;
    gh.faults.malformedJson = 1;
    const batch = await createGithubCollector().collect(context([entityFor(seededSlug(0))], settings()));
    expect(batch.errors).toEqual([{ entityRef: 'component:default/svc-0000', message: expect.stringContaining('malformed') }]);
  });

  it('asks again about a disabled feature only after the recheck interval', async () => {
    const collector = createGithubCollector();
    const ctx = context([entityFor(seededSlug(1))], settings());
    await collector.collect(ctx);
    gh.resetCounters();
    const again = await collector.collect(ctx);
    expect(factOf(again, 'component:default/svc-0001', 'github.security')!.dependabot.enabled).toBe(false);
    expect(gh.counters.byRoute['GET /repos/{o}/{r}/dependabot/alerts']).toBeUndefined();
    const eager = context([entityFor(seededSlug(1))], settings({ unavailableRecheckSeconds: 0 }));
    await collector.collect(eager);
    gh.resetCounters();
    await collector.collect(eager);
    expect(gh.counters.byRoute['GET /repos/{o}/{r}/dependabot/alerts']).toBe(1);
  });

  it('works with a GitHub Enterprise Server base URL (/api/v3, /api/graphql)', async () => {
    gh.resetCounters();
    const run = await createGithubCollector().collect(context([entityFor(seededSlug(0))], settings({ apiUrl: gh.ghesUrl })));
    expect(run.errors).toEqual([]);
    expect(run.facts).toHaveLength(5);
    expect(gh.counters.graphql).toBe(1);
  });

  it('turns bad credentials and bad settings into error entries, never a thrown sweep', async () => {
    const bad = await startFakeGithub({ repos: 2, tokens: ['test-token-accepted'] });
    try {
      const run = await createGithubCollector().collect(context([entityFor(seededSlug(0))], { apiUrl: bad.url, token: 'test-token-wrong', retryBaseMs: 1 }));
      expect(run.facts).toEqual([]);
      expect(run.errors[0].message).toMatch(/Bad credentials|401/);
    } finally {
      await bad.close();
    }
    const noToken = await createGithubCollector().collect(context([entityFor(seededSlug(0))], { apiUrl: gh.url }));
    expect(noToken.errors[0].message).toMatch(/No GitHub credentials/);
  });

  it('pauses when the budget falls below the reserve but lets conditional requests through', async () => {
    const token = `test-token-budget-${Date.now()}`;
    const collector = createGithubCollector();
    const ctx = context([entityFor(seededSlug(0))], { apiUrl: gh.url, token, rateLimitReserve: 100, maxRateLimitWaitSeconds: 0 });
    await collector.collect(ctx); // warm the ETag cache
    gh.setRateLimit(token, 'core', 50);
    const steady = await collector.collect(ctx); // only 304s on core: allowed below the reserve
    expect(steady.errors).toEqual([]);
    gh.repo(seededSlug(0)).codeScanningAlerts.push('high');
    // New cache: every request is unconditional and the budget refuses rather than wait (max wait 0).
    const cold = await createGithubCollector().collect(context([entityFor(seededSlug(0))], { apiUrl: gh.url, token, rateLimitReserve: 100, maxRateLimitWaitSeconds: 0 }));
    expect(cold.errors.some((e) => /budget/.test(e.message))).toBe(true);
  });
});

describe('GitHub App authentication against the fake GitHub', () => {
  const app = appKeyPair();
  let appGh: FakeGithub;
  beforeAll(async () => {
    appGh = await startFakeGithub({ repos: 6, tokens: [], app: { id: '4242', publicKey: app.publicKey, installations: [77] } });
  });
  afterAll(async () => {
    await appGh?.close();
  });
  const appSettings = (extra: Record<string, unknown> = {}) => ({ apiUrl: appGh.url, appId: '4242', privateKey: app.privateKey, installationId: 77, retryBaseMs: 1, ...extra });

  it('creates an installation token with a JWT signed by the app key, once, and collects with it', async () => {
    appGh.resetCounters();
    const entities = [0, 1, 2].map((i) => entityFor(seededSlug(i)));
    const ctx = context(entities, appSettings());
    const run = await createGithubCollector().collect(ctx);
    expect(run.errors).toEqual([]);
    expect(run.facts).toHaveLength(15);
    expect(appGh.counters.byRoute['POST /app/installations/{id}/access_tokens']).toBe(1);
    expect(appGh.installationTokens.size).toBe(1);
    expect([...appGh.installationTokens.values()][0].installationId).toBe(77);
    // Every other request carried the installation token: the fake accepts nothing else.
    expect(appGh.counters.byStatus['401'] ?? 0).toBe(0);
    // Neither the key nor the token it bought reaches the collector's log.
    const logged = JSON.stringify(ctx.logs);
    expect(logged).not.toContain(app.privateKey.split('\n')[1]);
    expect(logged).not.toContain([...appGh.installationTokens.keys()][0]);
  });

  it('a private key that is not the app\'s, or an installation the app does not have, is an error entry naming the cause', async () => {
    const other = appKeyPair();
    const wrongKey = await createGithubCollector().collect(context([entityFor(seededSlug(0))], appSettings({ privateKey: other.privateKey })));
    expect(wrongKey.facts).toEqual([]);
    expect(wrongKey.errors[0].message).toMatch(/JSON web token could not be decoded/);
    const wrongInstallation = await createGithubCollector().collect(context([entityFor(seededSlug(0))], appSettings({ installationId: 78 })));
    expect(wrongInstallation.facts).toEqual([]);
    expect(wrongInstallation.errors[0].message).toMatch(/Not Found|404/);
  });
});
