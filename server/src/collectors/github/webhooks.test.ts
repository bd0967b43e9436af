import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyAndRoute, WebhookRejectedError } from './webhooks.js';

const SECRET = 'test-webhook-secret';
const sign = (body: string, secret = SECRET) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
const repository = { full_name: 'Acme/Payments-API', default_branch: 'main', owner: { login: 'Acme' } };

function delivery(event: string, payload: object, secret = SECRET) {
  const body = JSON.stringify(payload);
  return { headers: { 'x-github-event': event, 'x-github-delivery': 'delivery-1', 'x-hub-signature-256': sign(body, secret), 'content-type': 'application/json' }, body };
}

describe('verifyAndRoute', () => {
  it.each([
    ['push', { ref: 'refs/heads/main', repository }, ['acme/payments-api']],
    ['push', { ref: 'refs/heads/feature/x', repository }, []],
    ['repository', { action: 'archived', repository }, ['acme/payments-api']],
    ['repository', { action: 'renamed', repository, changes: { repository: { name: { from: 'old-payments' } } } }, ['acme/payments-api', 'acme/old-payments']],
    ['branch_protection_rule', { action: 'edited', repository }, ['acme/payments-api']],
    ['workflow_run', { action: 'completed', repository }, ['acme/payments-api']],
    ['workflow_run', { action: 'requested', repository }, []],
    ['pull_request', { action: 'opened', repository }, ['acme/payments-api']],
    ['pull_request', { action: 'synchronize', repository }, []],
    ['ping', { zen: 'Keep it logically awesome.', repository }, []],
  ])('%s %j → %j', async (event, payload, expected) => {
    const { headers, body } = delivery(event, payload);
    const routing = await verifyAndRoute(SECRET, headers, body);
    expect(routing.repositories).toEqual(expected);
    expect(routing.event).toBe(event);
    expect(routing.deliveryId).toBe('delivery-1');
  });

  it('accepts the raw body as a Buffer', async () => {
    const { headers, body } = delivery('push', { ref: 'refs/heads/main', repository });
    await expect(verifyAndRoute(SECRET, headers, Buffer.from(body))).resolves.toMatchObject({ repositories: ['acme/payments-api'] });
  });

  it.each([
    ['a signature made with another secret', () => delivery('push', { repository }, 'another-secret'), 401],
    ['a body changed after signing', () => ({ ...delivery('push', { repository }), body: JSON.stringify({ repository, ref: 'x' }) }), 401],
    ['no signature', () => ({ headers: { 'x-github-event': 'push' }, body: '{}' }), 401],
    ['no event name', () => ({ headers: { 'x-hub-signature-256': sign('{}') }, body: '{}' }), 400],
    ['a signed body that is not JSON', () => ({ headers: { 'x-github-event': 'push', 'x-hub-signature-256': sign('not json') }, body: 'not json' }), 400],
  ])('rejects %s', async (_what, make, status) => {
    const { headers, body } = make();
    const err = await verifyAndRoute(SECRET, headers as Record<string, string>, body).catch((e) => e);
    expect(err).toBeInstanceOf(WebhookRejectedError);
    expect(err.statusCode).toBe(status);
  });

  it('refuses everything when no secret is configured', async () => {
    const { headers, body } = delivery('push', { repository });
    await expect(verifyAndRoute('', headers, body)).rejects.toMatchObject({ statusCode: 401 });
  });
});
