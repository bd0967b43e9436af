import type { FastifyInstance } from 'fastify';
import type { Me } from './api-types.js';
import { obj, responses, str } from './schemas.js';

const me = responses(obj({
  kind: { type: 'string', enum: ['token', 'anonymous'] },
  name: { type: ['string', 'null'] },
  scope: { type: ['string', 'null'], enum: ['read', 'ci', 'admin', null] },
  repos: { type: 'array', items: str },
  publicReads: { type: 'boolean' },
}));

/** Who the caller is and what it may do: lets the dashboard show only the actions a token allows. */
export async function meRoutes(app: FastifyInstance): Promise<void> {
  app.get('/me', {
    config: { access: 'read' },
    schema: { tags: ['auth'], summary: 'The calling token: name, scope and repositories (anonymous under public reads)', response: me },
  }, async (request): Promise<Me> => {
    const p = request.principal;
    const publicReads = app.runtime.config.publicReads;
    return p.kind === 'token'
      ? { kind: 'token', name: p.name, scope: p.scope, repos: [...p.repos], publicReads }
      : { kind: 'anonymous', name: null, scope: null, repos: [], publicReads };
  });
}
