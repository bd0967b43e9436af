import type { FastifyInstance } from 'fastify';
import { authorizeRepoAccess } from '../auth/index.js';
import type { FactPushResponse } from './api-types.js';
import { any, int, obj, responses } from './schemas.js';

interface FactPushBody {
  source?: string;
  facts: { entityRef?: unknown; scope?: unknown }[];
}

/** `POST /facts`: what `yardstick report --server` and any CI job send. */
export async function factRoutes(app: FastifyInstance): Promise<void> {
  const { runtime } = app;

  app.post<{ Body: FactPushBody }>('/facts', {
    config: { access: 'ci' },
    schema: {
      tags: ['facts'],
      summary: 'Push facts (ci token for the entities’ repositories, or admin); validated all-or-nothing, then default-branch entities are rescored',
      description: 'Each fact is `{ entityRef, id, data, scope?, collectedAt? }`. `scope` "" (default) is the default branch; `sha:<sha>` and `pr:<n>` facts are stored apart and never replace default-branch facts. Problems → 422 with one `{ pointer, message }` per problem in `error.details`.',
      body: {
        type: 'object',
        required: ['facts'],
        additionalProperties: false,
        properties: {
          source: { type: 'string', minLength: 1, maxLength: 100 },
          note: { type: 'string', maxLength: 2000 },
          facts: { type: 'array', minItems: 1, maxItems: 10_000, items: { type: 'object', additionalProperties: any } },
        },
      },
      response: responses(obj({ written: int, changed: int, unchanged: int, rescored: int, levelChanges: int })),
    },
  }, async (request): Promise<FactPushResponse> => {
    const { facts, source } = request.body;
    const refs = [...new Set(facts.map((f) => f.entityRef).filter((r): r is string => typeof r === 'string'))];
    await authorizeRepoAccess(request, refs);
    const summary = await runtime.pushFactDocument({ source: source ?? 'api', facts }, 'body', 'api');
    const defaultBranch = [...new Set(facts.filter((f) => f.scope === undefined || f.scope === '').map((f) => f.entityRef as string))];
    const rescored = defaultBranch.length > 0 ? await runtime.rescore({ refs: defaultBranch, now: app.now() }) : undefined;
    return { ...summary, rescored: rescored?.entities ?? 0, levelChanges: rescored?.levelChanges ?? 0 };
  });
}
