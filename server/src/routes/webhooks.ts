import type { FastifyInstance } from 'fastify';
import { verifyAndRoute, WebhookRejectedError } from '../collectors/github/webhooks.js';
import { errors } from '../errors.js';
import { enqueueRefresh } from '../scheduler/index.js';
import { obj, responses, str } from './schemas.js';

const accepted = responses(obj({ event: str, repositories: { type: 'array', items: str }, queued: { type: 'integer' } }), 202);

/**
 * GitHub webhooks (`push`, `repository`, `branch_protection_rule`, `workflow_run`, `pull_request`, …).
 * Authenticated by the HMAC signature over the raw body, not by a token; only the entities of the
 * repositories the event touches are queued for collection and rescoring.
 */
export async function webhookRoutes(app: FastifyInstance): Promise<void> {
  // The signature covers the exact bytes GitHub sent: keep the body raw in this scope.
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  app.post('/webhooks/github', {
    config: { access: 'public' },
    schema: { tags: ['webhooks'], summary: 'Receive a GitHub webhook delivery (HMAC-verified) and queue affected entities', security: [], response: accepted },
  }, async (request, reply) => {
    const secret = app.runtime.config.github.webhookSecret ?? '';
    let routing;
    try {
      routing = await verifyAndRoute(secret, request.headers, request.body as Buffer);
    } catch (err) {
      if (err instanceof WebhookRejectedError) {
        throw err.statusCode === 401 ? new errors.YS_ERR_WEBHOOK_SIGNATURE(err.message) : new errors.YS_ERR_WEBHOOK_INVALID(err.message);
      }
      throw err;
    }
    const refs: string[] = [];
    for (const slug of routing.repositories) {
      for (const e of await app.runtime.store.entities.list({ githubSlug: slug })) refs.push(e.ref);
    }
    const queued = refs.length > 0 ? await enqueueRefresh(app.runtime, refs) : 0;
    return reply.code(202).send({ event: routing.event, repositories: routing.repositories, queued });
  });
}
