import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, openTestApp, type TestApp } from './test-app.js';

describe('GET /api/v1/me', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = (await openTestApp())!;
  });
  afterAll(() => t?.close());

  it.each([
    ['read', { kind: 'token', name: 'reader', scope: 'read', repos: [] }],
    ['ciThis', { kind: 'token', name: 'payments-ci', scope: 'ci', repos: ['larkspur/payments-api'] }],
    ['admin', { kind: 'token', name: 'platform-admin', scope: 'admin', repos: [] }],
  ] as const)('describes a %s token', async (which, expected) => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer(t.tokens[which]) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ...expected, publicReads: false });
  });

  it('asks for a token when reads are not public, and refuses a bad one', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me' })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: bearer('ys_nope') })).statusCode).toBe(401);
  });
});
