import type { FastifyInstance } from 'fastify';
import type { Definitions } from '../engine/index.js';
import { errors } from '../errors.js';
import type { CheckDetail, CheckList, CheckSummary, OutcomeCounts } from './api-types.js';
import { iso, sinceDay } from './params.js';
import { checkDetail, checkList, daysQuery, idParams, responses } from './schemas.js';

const emptyCounts = (): OutcomeCounts => ({ pass: 0, fail: 0, unknown: 0, error: 0, notApplicable: 0, exempt: 0 });
const COUNT_KEY: Record<string, keyof OutcomeCounts> = {
  pass: 'pass', fail: 'fail', unknown: 'unknown', error: 'error', 'not-applicable': 'notApplicable', exempt: 'exempt',
};

/** (pass + exempt) ÷ every entity the check applies to; null when it applies to none. */
export function passRate(c: OutcomeCounts): number | null {
  const applicable = c.pass + c.fail + c.unknown + c.error + c.exempt;
  return applicable === 0 ? null : Math.round(((c.pass + c.exempt) / applicable) * 1000) / 1000;
}

function summary(defs: Definitions, id: string, counts: OutcomeCounts): CheckSummary {
  const def = defs.checks.get(id)!.definition;
  const levels: CheckSummary['levels'] = [];
  for (const t of defs.tracks.values()) {
    for (const l of t.definition.levels) if (l.checks.includes(id)) levels.push({ trackId: t.definition.id, levelId: l.id });
  }
  return {
    id, name: def.name, description: def.description, tags: def.tags ?? [], effort: def.effort ?? null, facts: def.facts,
    levels, counts, passRate: passRate(counts),
  };
}

export async function checkRoutes(app: FastifyInstance): Promise<void> {
  const { runtime } = app;
  const read = { access: 'read' as const };

  app.get('/checks', {
    config: read,
    schema: { tags: ['checks'], summary: 'Every check with where it is used and its outcome counts now', response: responses(checkList) },
  }, async (): Promise<CheckList> => {
    const defs = runtime.definitions;
    const counts = new Map<string, OutcomeCounts>();
    for (const r of await runtime.store.insights.outcomeCounts()) {
      const c = counts.get(r.checkId) ?? emptyCounts();
      const key = COUNT_KEY[r.outcome];
      if (key) c[key] += r.count;
      counts.set(r.checkId, c);
    }
    return { items: [...defs.checks.keys()].map((id) => summary(defs, id, counts.get(id) ?? emptyCounts())) };
  });

  app.get<{ Params: { id: string }; Querystring: { days: number } }>('/checks/:id', {
    config: read,
    schema: {
      tags: ['checks'], summary: 'One check: definition (rule, facts read), pass rate, failing entities and daily outcome history',
      params: idParams, querystring: daysQuery(90), response: responses(checkDetail),
    },
  }, async (request): Promise<CheckDetail> => {
    const defs = runtime.definitions;
    const id = request.params.id;
    const loaded = defs.checks.get(id);
    if (!loaded) throw new errors.YS_ERR_CHECK_NOT_FOUND(id);
    const [rows, failing, daily] = await Promise.all([
      runtime.store.insights.outcomeCounts(id),
      runtime.store.insights.entitiesWithOutcome(id, ['fail', 'error', 'unknown']),
      runtime.store.insights.checkDaily(id, sinceDay(app.now(), request.query.days)),
    ]);
    const counts = emptyCounts();
    for (const r of rows) if (COUNT_KEY[r.outcome]) counts[COUNT_KEY[r.outcome]] += r.count;
    return {
      ...summary(defs, id, counts),
      definition: loaded.definition as unknown as Record<string, unknown>,
      failing: failing.map((f) => ({
        entityRef: f.entity_ref, owner: f.owner, outcome: f.outcome as CheckDetail['failing'][number]['outcome'], message: f.message, since: iso(f.changed_at as Date)!,
      })),
      daily: daily.map((d) => ({ ...d, passRate: passRate(d) })),
    };
  });
}
