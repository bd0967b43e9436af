import type { FastifyInstance } from 'fastify';
import { SCORED_KINDS } from '../scoring/index.js';
import type { Overview } from './api-types.js';
import { iso, sinceDay } from './params.js';
import { daysQuery, overview, responses } from './schemas.js';
import { dailyDistributions, distributions, health } from './views.js';

const MOVES_DAYS = 7;

export async function overviewRoutes(app: FastifyInstance): Promise<void> {
  const { runtime } = app;

  app.get<{ Querystring: { days: number } }>('/overview', {
    config: { access: 'read' },
    schema: {
      tags: ['overview'],
      summary: 'Organisation overview: distributions, share at or above each level per day, most failing checks, teams by health, level moves of the last 7 days',
      querystring: daysQuery(90),
      response: responses(overview),
    },
  }, async (request): Promise<Overview> => {
    const defs = runtime.definitions;
    const now = app.now();
    const since = new Date(now.getTime() - MOVES_DAYS * 86_400_000);
    const { insights } = runtime.store;
    const [levelRows, ownerRows, daily, failing, groups, counts, moves] = await Promise.all([
      insights.levelCounts(),
      insights.levelCountsByOwner(),
      insights.dailyLevelCounts({ sinceDay: sinceDay(now, request.query.days) }),
      insights.mostFailingChecks(10),
      insights.groups(),
      insights.componentCounts([...SCORED_KINDS]),
      insights.levelMoves(since, 20),
    ]);
    const teams = groups
      .map((g) => ({ ref: g.ref, name: g.name, title: g.title, components: counts.get(g.ref) ?? 0, health: health(defs, ownerRows.filter((r) => r.owner === g.ref)) }))
      .sort((a, b) => (b.health ?? -1) - (a.health ?? -1) || a.name.localeCompare(b.name));
    return {
      definitionsVersion: defs.version,
      components: [...counts.values()].reduce((a, b) => a + b, 0),
      tracks: distributions(defs, levelRows),
      daily: dailyDistributions(defs, daily).map((d) => {
        // levels[0] is "none": the share at or above level i is the sum of levels[i + 1 …].
        const atOrAbove = d.levels.slice(1).map((l, i) => ({
          levelId: l.levelId!,
          share: d.total === 0 ? 0 : Math.round((d.levels.slice(i + 1).reduce((a, x) => a + x.count, 0) / d.total) * 1000) / 1000,
        }));
        return { day: d.day, trackId: d.trackId, total: d.total, atOrAbove };
      }),
      mostFailingChecks: failing.map((f) => ({ checkId: f.checkId, name: defs.checks.get(f.checkId)?.definition.name ?? f.checkId, failing: f.count })),
      teams,
      levelMoves: {
        since: since.toISOString(),
        tracks: moves.counts,
        recent: moves.recent.map((m) => ({
          entityRef: m.entity_ref, trackId: m.track_id, from: m.previous_level, to: m.level,
          direction: m.level_index > (m.previous_level_index ?? -1) ? ('up' as const) : ('down' as const), at: iso(m.at as Date)!,
        })),
      },
    };
  });
}
