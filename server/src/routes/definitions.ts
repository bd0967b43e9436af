import type { FastifyInstance } from 'fastify';
import { formatProblems } from '../engine/index.js';
import { errors } from '../errors.js';
import type { DefinitionsInfo, DefinitionsReload } from './api-types.js';
import { bool, int, obj, responses, str } from './schemas.js';

export async function definitionRoutes(app: FastifyInstance): Promise<void> {
  const { runtime } = app;

  app.get('/definitions', {
    config: { access: 'read' },
    schema: { tags: ['definitions'], summary: 'Version and counts of the checks and tracks in force', response: responses(obj({ version: str, checks: int, tracks: int })) },
  }, async (): Promise<DefinitionsInfo> => {
    const d = runtime.definitions;
    return { version: d.version, checks: d.checks.size, tracks: d.tracks.size };
  });

  app.post('/definitions/reload', {
    config: { access: 'admin' },
    schema: {
      tags: ['definitions'],
      summary: 'Re-read checks/ and tracks/ (admin); when they changed, rescore everything. Invalid files → 422 and the current version stays.',
      response: responses(obj({ version: str, previousVersion: str, changed: bool, rescored: int })),
    },
  }, async (): Promise<DefinitionsReload> => {
    const previousVersion = runtime.definitions.version;
    const { version, problems, changed } = await runtime.reloadDefinitions();
    if (problems.length > 0) {
      const err = new errors.YS_ERR_DEFINITIONS_INVALID(`version ${previousVersion} stays in force:\n${formatProblems(problems)}`);
      (err as Error & { details?: unknown }).details = problems;
      throw err;
    }
    const rescored = changed ? (await runtime.rescore({ now: app.now() })).entities : 0;
    return { version, previousVersion, changed, rescored };
  });
}
