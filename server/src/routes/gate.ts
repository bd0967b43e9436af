/**
 * `POST /api/v1/gate`: the pull-request gate. A `ci` token for the repository (or an admin
 * token) sends the PR's facts and gets a verdict per entity × gated track.
 * `GET /api/v1/gate/verdicts`: the verdicts recorded for a repository (newest first).
 */
import type { FastifyInstance } from 'fastify';
import { authorizeRepoAccess } from '../auth/index.js';
import { gateRequestSchema, runGate, type GateRequest, type GateResponse } from '../gate/index.js';
import { arr, bool, int, nullable, obj, outcome, responses, str } from './schemas.js';

const level = nullable(str);
const gateCheck = obj({ checkId: str, name: str, outcome, baseOutcome: outcome, message: str, remediation: str, blocking: bool });
const gateTrack = obj({
  entityRef: str, entityTitle: nullable(str), trackId: str, trackName: str, mode: { type: 'string', enum: ['strict', 'ratchet'] },
  requiredLevel: str, baseLevel: level, headLevel: level, passed: bool,
  newlyFailing: arr(gateCheck), stillFailing: arr(gateCheck), fixed: arr(str), reason: str,
  levels: arr(obj({ id: str, name: str, checks: arr(str) })), reportUrl: str,
});
const gateResponse = obj({
  verdict: { type: 'string', enum: ['pass', 'fail'] }, passed: bool, definitionsVersion: str, repo: str, sha: str,
  pullRequest: nullable(int), baseRef: nullable(str), entities: arr(str), tracks: arr(gateTrack), reportUrl: str,
  summaryMarkdown: str, verdictId: str, source: { type: 'string', enum: ['server', 'standalone'] }, notes: arr(str),
}, ['verdict', 'passed', 'definitionsVersion', 'repo', 'sha', 'pullRequest', 'baseRef', 'entities', 'tracks', 'reportUrl']);
const verdictList = obj({
  items: arr(obj({ id: str, repo: str, sha: str, pullRequest: nullable(int), passed: bool, definitionsVersion: str, createdAt: str, verdict: gateResponse })),
});

type VerdictQuery = { repo: string; sha?: string; pullRequest?: number; limit: number };

export async function gateRoutes(app: FastifyInstance): Promise<void> {
  const { runtime } = app;

  app.post<{ Body: GateRequest }>('/gate', {
    config: { access: 'ci' },
    schema: {
      tags: ['gate'],
      summary: 'Judge a pull request: base (default branch) vs head (with the PR facts) on every gated track',
      body: gateRequestSchema,
      response: responses(gateResponse),
    },
  }, async (request): Promise<GateResponse> => {
    await authorizeRepoAccess(request, { slugs: [request.body.repo] });
    return runGate({
      store: runtime.store,
      // One snapshot for the whole request, so a reload in between cannot mix versions.
      definitions: runtime.definitions,
      maxAges: runtime.maxAges,
      factValidator: runtime.factValidator,
      publicUrl: runtime.config.publicUrl,
      now: app.now(),
    }, request.body);
  });

  app.get<{ Querystring: VerdictQuery }>('/gate/verdicts', {
    config: { access: 'ci' },
    schema: {
      tags: ['gate'],
      summary: 'Verdicts recorded for a repository, newest first',
      querystring: obj({
        repo: gateRequestSchema.properties.repo,
        sha: gateRequestSchema.properties.sha,
        pullRequest: gateRequestSchema.properties.pullRequest,
        limit: { type: 'integer', minimum: 1, maximum: 200, default: 20 },
      }, ['repo']),
      response: responses(verdictList),
    },
  }, async (request) => {
    const q = request.query;
    await authorizeRepoAccess(request, { slugs: [q.repo] });
    const rows = await runtime.store.gates.list({ repo: q.repo, sha: q.sha?.toLowerCase(), pullRequest: q.pullRequest, limit: q.limit });
    return { items: rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString(), verdict: r.verdict as GateResponse })) };
  });
}
