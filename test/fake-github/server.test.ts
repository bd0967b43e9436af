import { sign } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appKeyPair, seededSlug, startFakeGithub, type FakeGithub } from './server.js';

let gh: FakeGithub;
const auth = { authorization: 'token test-token-fake' };
beforeAll(async () => {
  gh = await startFakeGithub({ repos: 5 });
});
afterAll(async () => {
  await gh?.close();
});

describe('fake GitHub contract', () => {
  it('answers 304 to a matching If-None-Match without spending rate limit', async () => {
    const url = `${gh.url}/repos/${seededSlug(0)}/dependabot/alerts?state=open`;
    const first = await fetch(url, { headers: auth });
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag')!;
    const remaining = Number(first.headers.get('x-ratelimit-remaining'));
    expect(first.headers.get('x-ratelimit-resource')).toBe('core');
    const again = await fetch(url, { headers: { ...auth, 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(Number(again.headers.get('x-ratelimit-remaining'))).toBe(remaining);
  });

  it('paginates with Link rel="next" and rel="last", on the GHES path too', async () => {
    const res = await fetch(`${gh.ghesUrl}/repos/${seededSlug(0)}/actions/runs?per_page=2`, { headers: auth });
    expect(res.status).toBe(200);
    expect(res.headers.get('link')).toMatch(/<[^>]+page=2[^>]*>; rel="next", <[^>]+>; rel="last"/);
    const body = (await res.json()) as { workflow_runs: unknown[]; total_count: number };
    expect(body.workflow_runs).toHaveLength(2);
  });

  it.each([
    ['no token', `/repos/${seededSlug(0)}/dependabot/alerts`, {}, 401],
    ['unknown repository', '/repos/acme/nope/dependabot/alerts', auth, 404],
    ['invalid state', `/repos/${seededSlug(0)}/dependabot/alerts?state=bogus`, auth, 422],
  ])('answers %s with a GitHub error body', async (_what, path, headers, status) => {
    const res = await fetch(gh.url + path, { headers });
    expect(res.status).toBe(status);
    expect(await res.json()).toMatchObject({ message: expect.any(String), documentation_url: expect.any(String), status: String(status) });
  });

  it('serves secondary limits with retry-after, then recovers', async () => {
    gh.faults.secondaryLimits = 1;
    gh.faults.secondaryStatus = 429;
    gh.faults.retryAfterSeconds = 7;
    const limited = await fetch(`${gh.url}/repos/${seededSlug(0)}/actions/runs`, { headers: auth });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(((await limited.json()) as { message: string }).message).toMatch(/secondary rate limit/);
    expect((await fetch(`${gh.url}/repos/${seededSlug(0)}/actions/runs`, { headers: auth })).status).toBe(200);
    gh.resetFaults();
  });

  it('answers a GraphQL batch by alias, charging its cost', async () => {
    gh.resetCounters();
    const res = await fetch(`${gh.url}/graphql`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        query: 'query($o0: String!, $n0: String!, $o1: String!, $n1: String!) { rateLimit { cost } r0: repository(owner: $o0, name: $n0) { nameWithOwner } r1: repository(owner: $o1, name: $n1) { nameWithOwner } }',
        variables: { o0: 'acme', n0: 'svc-0001', o1: 'acme', n1: 'missing' },
      }),
    });
    const body = (await res.json()) as { data: Record<string, any>; errors: { type: string; path: string[] }[] };
    expect(res.headers.get('x-ratelimit-resource')).toBe('graphql');
    expect(body.data.r0.nameWithOwner).toBe('acme/svc-0001');
    expect(body.data.r1).toBeNull();
    expect(body.errors).toEqual([expect.objectContaining({ type: 'NOT_FOUND', path: ['r1'] })]);
    expect(body.data.rateLimit.cost).toBe(1);
    expect(gh.counters).toMatchObject({ total: 1, graphql: 1, rest: 0, graphqlCost: 1 });
  });
});

describe('fake GitHub App installation tokens', () => {
  const { publicKey, privateKey } = appKeyPair();
  let appGh: FakeGithub;
  beforeAll(async () => {
    appGh = await startFakeGithub({ repos: 2, tokens: [], app: { id: '99', publicKey, installations: [5] } });
  });
  afterAll(async () => {
    await appGh?.close();
  });
  const jwt = (claims: Record<string, unknown>, key = privateKey) => {
    const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const signed = `${part({ alg: 'RS256', typ: 'JWT' })}.${part(claims)}`;
    return `${signed}.${sign('RSA-SHA256', Buffer.from(signed), key).toString('base64url')}`;
  };
  const now = () => Math.floor(Date.now() / 1000);
  const create = (token: string, installation = 5) =>
    fetch(`${appGh.url}/app/installations/${installation}/access_tokens`, { method: 'POST', headers: { authorization: `Bearer ${token}`, accept: 'application/vnd.github+json' } });

  it('answers 201 with a token that then authenticates, while the JWT itself does not', async () => {
    const token = jwt({ iss: 99, iat: now() - 60, exp: now() + 540 });
    const res = await create(token);
    expect(res.status).toBe(201);
    const body = (await res.json()) as { token: string; expires_at: string; repository_selection: string };
    expect(body.token).toMatch(/^ghs_/);
    expect(Date.parse(body.expires_at)).toBeGreaterThan(Date.now() + 3_500_000);
    expect(body.repository_selection).toBe('all');
    const repo = await fetch(`${appGh.url}/repos/${seededSlug(0)}/dependabot/alerts?state=open`, { headers: { authorization: `token ${body.token}` } });
    expect(repo.status).toBe(200);
    const withJwt = await fetch(`${appGh.url}/repos/${seededSlug(0)}/dependabot/alerts?state=open`, { headers: { authorization: `Bearer ${token}` } });
    expect(withJwt.status).toBe(401);
  });

  it('refuses a JWT signed with another key, expired, from another app, or for an unknown installation, as GitHub does', async () => {
    const other = appKeyPair();
    const cases: [string, Response, number, RegExp][] = [
      ['another key', await create(jwt({ iss: 99, iat: now() - 60, exp: now() + 540 }, other.privateKey)), 401, /could not be decoded/],
      ['expired', await create(jwt({ iss: 99, iat: now() - 1200, exp: now() - 600 })), 401, /'Expiration time' claim/],
      ['too far ahead', await create(jwt({ iss: 99, iat: now(), exp: now() + 3600 })), 401, /'Expiration time' claim/],
      ['another app', await create(jwt({ iss: 98, iat: now() - 60, exp: now() + 540 })), 401, /'Issuer' claim/],
      ['not a JWT', await create('ghp_plainToken'), 401, /could not be decoded/],
      ['unknown installation', await create(jwt({ iss: 99, iat: now() - 60, exp: now() + 540 }), 6), 404, /Not Found/],
    ];
    for (const [name, res, status, message] of cases) {
      expect(res.status, name).toBe(status);
      expect(((await res.json()) as { message: string }).message, name).toMatch(message);
    }
  });
});
