import type { FastifyInstance } from 'fastify';
import { factSchemas } from '../collectors/index.js';
import { formatProblems, loadDefinitions, previewDefinitions } from '../engine/index.js';
import type { DefinitionFile, EntityInput, Exemption } from '../engine/types.js';
import { errors } from '../errors.js';
import { SCORED_KINDS, toEngineInput } from '../scoring/index.js';
import type { PreviewResponse } from './api-types.js';
import { any, arr, int, nullable, obj, outcome, responses, str } from './schemas.js';

interface PreviewBody {
  checks?: Record<string, unknown>[];
  tracks?: Record<string, unknown>[];
}

const draftId = (d: Record<string, unknown>, i: number) => (typeof d.id === 'string' && /^[A-Za-z0-9._-]{1,200}$/.test(d.id) ? d.id : `draft-${i + 1}`);

/** Current files (as `checks/<id>.json`) with the drafts (as `draft:checks/<id>.json`) replacing or adding by id. */
function withDrafts(current: Iterable<{ id: string; definition: unknown }>, drafts: Record<string, unknown>[], folder: 'checks' | 'tracks'): DefinitionFile[] {
  const ids = new Set(drafts.map(draftId));
  const files: DefinitionFile[] = [];
  for (const c of current) if (!ids.has(c.id)) files.push({ file: `${folder}/${c.id}.json`, text: JSON.stringify(c.definition) });
  drafts.forEach((d, i) => files.push({ file: `draft:${folder}/${draftId(d, i)}.json`, text: JSON.stringify(d) }));
  return files;
}

const levelChange = obj({ trackId: str, before: nullable(str), after: nullable(str), direction: { type: 'string', enum: ['up', 'down', 'same'] } });
const previewResponse = obj({
  beforeVersion: str,
  afterVersion: str,
  entities: arr(obj({
    ref: str,
    outcomeChanges: arr(obj({ checkId: str, before: { anyOf: [outcome, { type: 'null' }] }, after: { anyOf: [outcome, { type: 'null' }] } })),
    levelChanges: arr(levelChange),
  })),
  summary: arr(obj({
    trackId: str,
    levels: arr(obj({ levelId: str, before: int, after: int, dropped: arr(str), gained: arr(str) })),
    lines: arr(str),
  })),
});

export async function previewRoutes(app: FastifyInstance): Promise<void> {
  const { runtime } = app;

  app.post<{ Body: PreviewBody }>('/preview', {
    config: { access: 'read' },
    schema: {
      tags: ['definitions'],
      summary: 'What-if: score every entity with draft checks/tracks (replacing or adding by id) and report what moves; nothing is stored',
      description: 'Invalid drafts → 422 `YS_ERR_DEFINITIONS_INVALID` with the problems `yardstick check validate` prints, for files named `draft:checks/<id>.json` / `draft:tracks/<id>.json`.',
      body: {
        type: 'object',
        additionalProperties: false,
        properties: {
          checks: { type: 'array', maxItems: 500, items: { type: 'object', additionalProperties: any } },
          tracks: { type: 'array', maxItems: 100, items: { type: 'object', additionalProperties: any } },
        },
      },
      response: responses(previewResponse),
    },
  }, async (request): Promise<PreviewResponse> => {
    const before = runtime.definitions;
    const drafts = request.body ?? {};
    const checks = withDrafts([...before.checks.values()].map((c) => ({ id: c.definition.id, definition: c.definition })), drafts.checks ?? [], 'checks');
    const tracks = withDrafts([...before.tracks.values()].map((t) => ({ id: t.definition.id, definition: t.definition })), drafts.tracks ?? [], 'tracks');
    const { definitions: after, problems } = loadDefinitions({ checks, tracks, factSchemas: factSchemas(runtime.collectors) });
    if (problems.length > 0) {
      const err = new errors.YS_ERR_DEFINITIONS_INVALID(`\n${formatProblems(problems)}`);
      (err as Error & { details?: unknown }).details = problems;
      throw err;
    }
    const now = app.now();
    const stored = (await runtime.store.entities.list()).filter((e) => SCORED_KINDS.has(e.entity.kind.toLowerCase()));
    const refs = stored.map((e) => e.ref);
    const [facts, exemptions] = await Promise.all([runtime.store.facts.latest(refs), runtime.store.exemptions.active(now, refs)]);
    const entities: EntityInput[] = stored.map((e) => toEngineInput(e, facts.get(e.ref) ?? [], runtime.maxAges, now));
    const result = previewDefinitions({ before, after, entities, exemptions: exemptions as Exemption[], now });
    return { beforeVersion: before.version, afterVersion: after.version, entities: result.entities, summary: result.summary };
  });
}
