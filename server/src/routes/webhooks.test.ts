import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp, type TestApp } from './test-app.js';

const SECRET = 'test-webhook-secret';
const sign = (body: string, secret = SECRET) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

const push = JSON.stringify({
  ref: 'refs/heads/main',
  repository: { full_name: 'larkspur/payments-api', default_branch: 'main', owner: { login: 'larkspur' } },
});

describe('POST /api/v1/webhooks/github', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = (await openTestApp({ overrides: { github: { webhookSecret: SECRET } } }))!;
  });
  afterAll(() => t?.close());

  const deliver = (body: string, signature: string | undefined, event = 'push') =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/webhooks/github',
      headers: { 'content-type': 'application/json', 'x-github-event': event, 'x-github-delivery': 'd-1', ...(signature ? { 'x-hub-signature-256': signature } : {}) },
      payload: body,
    });

  it('queues a refresh of the entities of the pushed repository', async () => {
    const res = await deliver(push, sign(push));
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ event: 'push', repositories: ['larkspur/payments-api'], queued: 1 });
    const jobs = await t.runtime.store.db.selectFrom('jobs').select(['kind', 'dedupe_key']).where('kind', '=', 'refresh').execute();
    expect(jobs).toEqual([{ kind: 'refresh', dedupe_key: 'refresh:component:default/payments-api' }]);
  });

  it.each([
    ['a signature made with another secret', sign(push, 'wrong')],
    ['no signature', undefined],
    ['a malformed signature', 'sha256=zz'],
  ])('rejects %s with 401 and queues nothing', async (_name, signature) => {
    const before = await t.runtime.store.jobs.counts();
    const res = await deliver(push, signature);
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('YS_ERR_WEBHOOK_SIGNATURE');
    expect(await t.runtime.store.jobs.counts()).toEqual(before);
  });

  it('accepts a push to another branch without queueing anything', async () => {
    const body = JSON.stringify({ ref: 'refs/heads/feature', repository: { full_name: 'larkspur/payments-api', default_branch: 'main' } });
    const res = await deliver(body, sign(body));
    expect(res.statusCode).toBe(202);
    expect(res.json().queued).toBe(0);
  });
});
