import type { FastifyInstance } from 'fastify';
import { errors } from '../errors.js';
import type { Readiness } from './api-types.js';
import { obj, str, responses } from './schemas.js';

const live = { response: responses(obj({ status: { type: 'string', enum: ['ok'] } })) };
const ready = { response: responses(obj({ status: { type: 'string', enum: ['ready'] }, database: { type: 'string', enum: ['ok'] }, definitionsVersion: str })) };

/** Liveness and readiness, at the root (for orchestrators) and under /api/v1. Never rate limited, never authenticated. */
export function healthRoutes(options: { hide: boolean }) {
  return async function health(app: FastifyInstance): Promise<void> {
    const config = { access: 'public' as const, rateLimit: false as const };
    app.get('/healthz', { config, schema: { tags: ['health'], summary: 'Liveness: the process answers', hide: options.hide, security: [], ...live } }, async () => ({ status: 'ok' as const }));
    app.get('/readyz', { config, schema: { tags: ['health'], summary: 'Readiness: the database answers and definitions are loaded (503 otherwise)', hide: options.hide, security: [], ...ready } }, async (): Promise<Readiness> => {
      const { runtime } = app;
      try {
        await runtime.store.ping();
      } catch (err) {
        throw new errors.YS_ERR_NOT_READY(`database: ${(err as Error).message}`);
      }
      const defs = runtime.definitions;
      if (!defs || defs.tracks.size === 0) throw new errors.YS_ERR_NOT_READY('no tracks loaded');
      return { status: 'ready', database: 'ok', definitionsVersion: defs.version };
    });
  };
}
