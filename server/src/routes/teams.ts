import type { FastifyInstance } from 'fastify';
import type { Definitions } from '../engine/index.js';
import { errors } from '../errors.js';
import { SCORED_KINDS } from '../scoring/index.js';
import type { EntityRow } from '../store/database.js';
import type { OwnerLevelCountRow } from '../store/index.js';
import type { TeamDetail, TeamList, TeamSummary, TeamTrend } from './api-types.js';
import { refFromParams, sinceDay } from './params.js';
import { daysQuery, nameParams, responses, teamDetail, teamList, teamTrend } from './schemas.js';
import { dailyDistributions, distributions, entityLevel, health } from './views.js';

function teamSummary(defs: Definitions, group: EntityRow, components: number, rows: readonly OwnerLevelCountRow[]): TeamSummary {
  return { ref: group.ref, name: group.name, title: group.title, components, health: health(defs, rows), tracks: distributions(defs, rows) };
}

export async function teamRoutes(app: FastifyInstance): Promise<void> {
  const { runtime } = app;
  const read = { access: 'read' as const };
  const kinds = [...SCORED_KINDS];

  async function loadTeam(name: string): Promise<EntityRow> {
    const ref = refFromParams({ kind: 'group', namespace: 'default', name });
    const group = (await runtime.store.insights.groups()).find((g) => g.ref === ref);
    if (!group) throw new errors.YS_ERR_TEAM_NOT_FOUND(name);
    return group;
  }

  app.get('/teams', {
    config: read,
    schema: { tags: ['teams'], summary: 'Every team (Group): components, level distribution per track and health (0–100)', response: responses(teamList) },
  }, async (): Promise<TeamList> => {
    const defs = runtime.definitions;
    const [groups, counts, rows] = await Promise.all([
      runtime.store.insights.groups(), runtime.store.insights.componentCounts(kinds), runtime.store.insights.levelCountsByOwner(),
    ]);
    return { items: groups.map((g) => teamSummary(defs, g, counts.get(g.ref) ?? 0, rows.filter((r) => r.owner === g.ref))) };
  });

  app.get<{ Params: { name: string } }>('/teams/:name', {
    config: read,
    schema: {
      tags: ['teams'], summary: 'One team: components × tracks, and the checks holding most components back from their next level',
      params: nameParams, response: responses(teamDetail),
    },
  }, async (request): Promise<TeamDetail> => {
    const group = await loadTeam(request.params.name);
    const defs = runtime.definitions;
    const [components, rows, levels, blocking] = await Promise.all([
      runtime.store.entities.list({ owner: group.ref }),
      runtime.store.insights.levelCountsByOwner(group.ref),
      runtime.store.insights.levelsOfOwner(group.ref),
      runtime.store.insights.blockingChecks(group.ref),
    ]);
    const scored = components.filter((c) => SCORED_KINDS.has(c.entity.kind.toLowerCase()));
    return {
      team: teamSummary(defs, group, scored.length, rows),
      tracks: [...defs.tracks.values()].map((t) => ({ trackId: t.definition.id, name: t.definition.name, levels: t.definition.levels.map((l) => ({ id: l.id, name: l.name })) })),
      components: scored.map((c) => ({
        ref: c.ref, name: c.entity.metadata.name, title: c.entity.metadata.title ?? null,
        type: typeof c.entity.spec?.type === 'string' ? c.entity.spec.type : null,
        levels: levels.filter((l) => l.entity_ref === c.ref).map(entityLevel),
      })),
      blockingChecks: blocking.map((b) => {
        const def = defs.checks.get(b.checkId)?.definition;
        return {
          checkId: b.checkId, name: def?.name ?? b.checkId, trackId: b.trackId,
          levelId: defs.tracks.get(b.trackId)?.definition.levels.find((l) => l.checks.includes(b.checkId))?.id ?? null,
          blocks: b.count, entities: b.refs,
          remediation: def?.remediation ?? '', effort: def?.effort ?? null,
        };
      }),
    };
  });

  app.get<{ Params: { name: string }; Querystring: { days: number } }>('/teams/:name/trend', {
    config: read,
    schema: { tags: ['teams'], summary: 'Daily level distribution and health of a team’s components (from the daily roll-up)', params: nameParams, querystring: daysQuery(90), response: responses(teamTrend) },
  }, async (request): Promise<TeamTrend> => {
    const group = await loadTeam(request.params.name);
    const days = request.query.days;
    const rows = await runtime.store.insights.dailyLevelCounts({ sinceDay: sinceDay(app.now(), days), owner: group.ref });
    return { team: group.ref, days, series: dailyDistributions(runtime.definitions, rows) };
  });
}
