import type { FastifyInstance } from 'fastify';
import { authorizeRepoAccess } from '../auth/index.js';
import { toEntityRef } from '../catalog/index.js';
import { errors } from '../errors.js';
import { SCORED_KINDS } from '../scoring/index.js';
import type { StoredEntity } from '../store/index.js';
import type {
  ApiOutcome, EntityFacts, EntityHistory, EntityList, FactHistory, RefreshResponse, Scorecard, ScorecardCheck, ScorecardTrack,
} from './api-types.js';
import { iso, refFromParams, sinceDay } from './params.js';
import {
  arr, daysQuery, entityFacts, entityHistory, entityLevel as entityLevelSchema, entityList, entityParams, factHistory, obj, responses, scorecard, str,
} from './schemas.js';
import { entityLevel, entitySummary } from './views.js';

const listQuery = obj({
  owner: { type: 'string', maxLength: 300, description: 'Group name or ref (`payments-team`, `group:default/payments-team`)' },
  kind: { type: 'string', maxLength: 100, description: 'Entity kind; default: every scored kind (Component, API, Resource, System)' },
  type: { type: 'string', maxLength: 100 },
  lifecycle: { type: 'string', maxLength: 100 },
  track: { type: 'string', maxLength: 200, description: 'Only entities scored on this track' },
  level: { type: 'string', maxLength: 200, description: 'With `track`: a level id, or `none`' },
  levelMode: { type: 'string', enum: ['atLeast', 'exact'], default: 'atLeast', description: '`atLeast` (default): the level or higher; `exact`: exactly that level' },
  q: { type: 'string', maxLength: 200, description: 'Case-insensitive text in the ref, title or owner' },
  limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
  offset: { type: 'integer', minimum: 0, maximum: 1_000_000, default: 0 },
}, []);

type ListQuery = { owner?: string; kind?: string; type?: string; lifecycle?: string; track?: string; level?: string; levelMode: 'atLeast' | 'exact'; q?: string; limit: number; offset: number };
type EntityParams = { kind: string; namespace: string; name: string };

/** Summary columns of a stored entity (as the list returns them). */
function summaryOf(e: StoredEntity) {
  const [kind, rest] = e.ref.split(':', 2);
  const [namespace, name] = rest.split('/', 2);
  const spec = (e.entity.spec ?? {}) as Record<string, unknown>;
  const slug = e.entity.metadata.annotations?.['github.com/project-slug'];
  return {
    ref: e.ref, kind, namespace, name, title: e.entity.metadata.title ?? null, owner: e.owner, system: e.system,
    type: typeof spec.type === 'string' ? spec.type : null, lifecycle: typeof spec.lifecycle === 'string' ? spec.lifecycle : null,
    githubSlug: slug ? slug.toLowerCase() : null,
  };
}

export async function entityRoutes(app: FastifyInstance): Promise<void> {
  const { runtime } = app;
  const read = { access: 'read' as const };

  async function loadEntity(params: EntityParams): Promise<StoredEntity> {
    const ref = refFromParams(params);
    const entity = await runtime.store.entities.get(ref);
    if (!entity) throw new errors.YS_ERR_ENTITY_NOT_FOUND(ref);
    return entity;
  }

  app.get<{ Querystring: ListQuery }>('/entities', {
    config: read,
    schema: { tags: ['entities'], summary: 'List and search entities with their levels', querystring: listQuery, response: responses(entityList) },
  }, async (request): Promise<EntityList> => {
    const q = request.query;
    let levelIndex: number | undefined;
    if (q.level !== undefined) {
      if (!q.track) throw new errors.YS_ERR_REQUEST_INVALID('querystring/level needs querystring/track');
      const track = runtime.definitions.tracks.get(q.track);
      if (!track) throw new errors.YS_ERR_TRACK_NOT_FOUND(q.track);
      levelIndex = q.level === 'none' ? -1 : track.definition.levels.findIndex((l) => l.id === q.level);
      if (levelIndex === -1 && q.level !== 'none') {
        throw new errors.YS_ERR_REQUEST_INVALID(`querystring/level: track "${q.track}" has no level "${q.level}" (levels: ${track.definition.levels.map((l) => l.id).join(', ')}, none)`);
      }
    }
    const owner = q.owner ? toEntityRef(q.owner, { defaultKind: 'group' }) : undefined;
    const { total, rows } = await runtime.store.insights.searchEntities({
      owner, kind: q.kind, kinds: q.kind ? undefined : [...SCORED_KINDS], type: q.type, lifecycle: q.lifecycle,
      trackId: q.track, levelIndex, levelMode: q.levelMode, q: q.q, limit: q.limit, offset: q.offset,
    });
    const levels = await runtime.store.results.levelsFor(rows.map((r) => r.ref));
    return {
      total, limit: q.limit, offset: q.offset,
      items: rows.map((r) => entitySummary(r, levels.filter((l) => l.entity_ref === r.ref).map(entityLevel))),
    };
  });

  app.get<{ Params: EntityParams }>('/entities/:kind/:namespace/:name', {
    config: read,
    schema: { tags: ['entities'], summary: 'Scorecard: each track’s level, next level and every check with its explanation and remediation', params: entityParams, response: responses(scorecard) },
  }, async (request): Promise<Scorecard> => {
    const stored = await loadEntity(request.params);
    const ref = stored.ref;
    const now = app.now();
    // An exemption that expired since the last scoring must not keep counting: rescore before answering.
    if ((await runtime.store.insights.refsWithExpiredExemptions(now, ref)).length > 0) await runtime.rescore({ refs: [ref], now });
    const [results, levels] = await Promise.all([runtime.store.results.resultsFor(ref), runtime.store.results.levelsFor([ref])]);
    const defs = runtime.definitions;
    const byCheck = new Map(results.map((r) => [r.check_id, r]));
    const checkView = (checkId: string): ScorecardCheck => {
      const def = defs.checks.get(checkId)?.definition;
      const r = byCheck.get(checkId);
      const ex = r?.exemption as { reason: string; author: string; expiresAt: string } | null | undefined;
      return {
        checkId, name: def?.name ?? checkId, description: def?.description ?? '',
        outcome: (r?.outcome ?? 'unknown') as ScorecardCheck['outcome'],
        message: r?.message ?? 'Not evaluated yet.',
        values: (r?.values ?? {}) as Record<string, unknown>,
        remediation: def?.remediation ?? '', effort: def?.effort ?? null, docsUrl: def?.docsUrl ?? null,
        exemption: ex ? { reason: ex.reason, author: ex.author, expiresAt: ex.expiresAt } : null,
        changedAt: iso(r?.changed_at as Date | undefined),
      };
    };
    const inTracks = new Set<string>();
    const tracks: ScorecardTrack[] = [];
    for (const l of [...levels].sort((a, b) => (a.track_id < b.track_id ? -1 : 1))) {
      const track = defs.tracks.get(l.track_id)?.definition;
      if (!track) continue;
      const levelName = (id: string | null) => (id ? (track.levels.find((x) => x.id === id)?.name ?? id) : null);
      tracks.push({
        trackId: track.id, name: track.name, description: track.description,
        level: l.level, levelName: levelName(l.level), levelIndex: l.level_index,
        nextLevel: l.next_level, nextLevelName: levelName(l.next_level), missing: l.missing,
        gate: track.gate ? { level: track.gate.level, mode: track.gate.mode, onUnknown: track.gate.onUnknown } : null,
        levels: track.levels.map((lv, i) => {
          for (const c of lv.checks) inTracks.add(c);
          return { id: lv.id, name: lv.name, reached: i <= l.level_index, checks: lv.checks.map(checkView) };
        }),
      });
    }
    const evaluation = await runtime.store.results.evaluationOf(ref);
    return {
      entity: { ...summaryOf(stored), levels: levels.map(entityLevel), description: stored.entity.metadata.description ?? null },
      definitionsVersion: evaluation?.definitionsVersion ?? null,
      evaluatedAt: iso(evaluation?.evaluatedAt),
      tracks,
      otherChecks: results.filter((r) => !inTracks.has(r.check_id)).map((r) => checkView(r.check_id)),
    };
  });

  app.get<{ Params: EntityParams; Querystring: { days: number } }>('/entities/:kind/:namespace/:name/history', {
    config: read,
    schema: { tags: ['entities'], summary: 'Level and outcome changes over time, and the daily level series (≤ 1,000 points)', params: entityParams, querystring: daysQuery(365), response: responses(entityHistory) },
  }, async (request): Promise<EntityHistory> => {
    const { ref } = await loadEntity(request.params);
    const [levelRows, outcomeRows, daily] = await Promise.all([
      runtime.store.results.levelHistory(ref, 500),
      runtime.store.results.resultHistory(ref, 500),
      runtime.store.insights.entityDailyLevels(ref, sinceDay(app.now(), request.query.days), 1000),
    ]);
    return {
      entityRef: ref,
      levelChanges: levelRows.map((r) => ({ trackId: r.track_id, level: r.level, previousLevel: r.previous_level, at: iso(r.at as Date)! })),
      outcomeChanges: outcomeRows.map((r) => ({
        checkId: r.check_id, outcome: r.outcome as ApiOutcome, previousOutcome: r.previous_outcome as ApiOutcome | null, message: r.message, at: iso(r.at as Date)!,
      })),
      daily,
    };
  });

  app.get<{ Params: EntityParams }>('/entities/:kind/:namespace/:name/facts', {
    config: read,
    schema: { tags: ['entities'], summary: 'Latest default-branch facts with age, staleness and the last collection error', params: entityParams, response: responses(entityFacts) },
  }, async (request): Promise<EntityFacts> => {
    const { ref } = await loadEntity(request.params);
    const now = app.now().getTime();
    const facts = (await runtime.store.facts.latest([ref])).get(ref) ?? [];
    return {
      entityRef: ref,
      facts: facts.sort((a, b) => (a.id < b.id ? -1 : 1)).map((f) => {
        const age = Math.max(0, Math.floor((now - f.collectedAt.getTime()) / 1000));
        const maxAge = runtime.maxAges[f.id] ?? null;
        return {
          id: f.id, data: f.data, source: f.source, collectedAt: f.collectedAt.toISOString(), changedAt: f.changedAt.toISOString(),
          ageSeconds: age, maxAgeSeconds: maxAge, stale: maxAge !== null && age > maxAge,
          lastError: f.lastError, lastErrorAt: iso(f.lastErrorAt),
        };
      }),
    };
  });

  app.get<{ Params: EntityParams; Querystring: { factId?: string; scope?: string; limit: number } }>('/entities/:kind/:namespace/:name/facts/history', {
    config: read,
    schema: {
      tags: ['entities'], summary: 'Changes of the entity’s facts, newest first',
      params: entityParams,
      querystring: obj({
        factId: { type: 'string', maxLength: 200 },
        scope: { type: 'string', pattern: '^(|sha:[0-9a-f]{7,64}|pr:\\d{1,9})$', description: '"" (default branch, the default), sha:<sha> or pr:<n>' },
        limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
      }, []),
      response: responses(factHistory),
    },
  }, async (request): Promise<FactHistory> => {
    const { ref } = await loadEntity(request.params);
    const items = await runtime.store.facts.history(ref, { factId: request.query.factId, scope: request.query.scope ?? '', limit: request.query.limit });
    return { entityRef: ref, items: items.map((i) => ({ ...i, collectedAt: i.collectedAt.toISOString() })) };
  });

  app.post<{ Params: EntityParams }>('/entities/:kind/:namespace/:name/refresh', {
    config: { access: 'ci' },
    schema: {
      tags: ['entities'], summary: 'Re-read the catalog and rescore this entity (ci token for its repository, or admin)',
      params: entityParams, response: responses(obj({ entityRef: str, levels: arr(entityLevelSchema) })),
    },
  }, async (request): Promise<RefreshResponse> => {
    const { ref } = await loadEntity(request.params);
    await authorizeRepoAccess(request, [ref]);
    if (typeof runtime.refreshEntity === 'function') {
      // The running server's hook: catalog, every configured collector, then a rescore.
      await runtime.refreshEntity(ref);
    } else {
      await runtime.syncCatalog();
      await runtime.rescore({ refs: [ref], now: app.now() });
    }
    const levels = await runtime.store.results.levelsFor([ref]);
    return { entityRef: ref, levels: levels.map(entityLevel) };
  });
}
