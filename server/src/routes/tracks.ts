import type { FastifyInstance } from 'fastify';
import type { Definitions, LoadedTrack } from '../engine/index.js';
import { errors } from '../errors.js';
import type { LevelCountRow } from '../store/index.js';
import type { TrackDetail, TrackList, TrackSummaryItem } from './api-types.js';
import { sinceDay } from './params.js';
import { daysQuery, idParams, responses, trackDetail, trackList } from './schemas.js';
import { dailyDistributions, distribution } from './views.js';

function trackSummary(defs: Definitions, t: LoadedTrack, rows: readonly LevelCountRow[]): TrackSummaryItem {
  const d = t.definition;
  return {
    id: d.id, name: d.name, description: d.description,
    levels: d.levels.map((l) => ({ id: l.id, name: l.name, checks: l.checks.map((c) => ({ id: c, name: defs.checks.get(c)?.definition.name ?? c })) })),
    gate: d.gate ? { level: d.gate.level, mode: d.gate.mode, onUnknown: d.gate.onUnknown } : null,
    distribution: distribution(defs, d.id, rows.filter((r) => r.trackId === d.id)),
  };
}

export async function trackRoutes(app: FastifyInstance): Promise<void> {
  const { runtime } = app;
  const read = { access: 'read' as const };

  app.get('/tracks', {
    config: read,
    schema: { tags: ['tracks'], summary: 'Every track: levels, checks, gate and the level distribution now', response: responses(trackList) },
  }, async (): Promise<TrackList> => {
    const defs = runtime.definitions;
    const rows = await runtime.store.insights.levelCounts();
    return { items: [...defs.tracks.values()].map((t) => trackSummary(defs, t, rows)) };
  });

  app.get<{ Params: { id: string }; Querystring: { days: number } }>('/tracks/:id', {
    config: read,
    schema: { tags: ['tracks'], summary: 'One track with its daily level distribution (from the daily roll-up)', params: idParams, querystring: daysQuery(90), response: responses(trackDetail) },
  }, async (request): Promise<TrackDetail> => {
    const defs = runtime.definitions;
    const t = defs.tracks.get(request.params.id);
    if (!t) throw new errors.YS_ERR_TRACK_NOT_FOUND(request.params.id);
    const [rows, daily] = await Promise.all([
      runtime.store.insights.levelCounts(t.definition.id),
      runtime.store.insights.dailyLevelCounts({ sinceDay: sinceDay(app.now(), request.query.days), trackId: t.definition.id }),
    ]);
    return { ...trackSummary(defs, t, rows), daily: dailyDistributions(defs, daily) };
  });
}
