/**
 * A synthetic organisation for benchmarks: N components owned by teams, 200 checks in 5 tracks
 * (3 levels each) over bench-only fact schemas, deterministic fact values, and a year of history
 * (daily roll-ups and level changes) written with bulk SQL.
 *
 * Everything is derived from a seeded PRNG, so two runs at the same size score the same.
 */
import type { Collector, JsonSchema } from '../server/src/collectors/index.js';
import { loadDefinitions, formatProblems, type Definitions } from '../server/src/engine/index.js';
import type { Entity } from '../server/src/engine/types.js';
import { seededRandom as prng } from '../server/src/seeded-random.js';
import type { FactWrite, StoredEntity } from '../server/src/store/index.js';


const obj = (properties: Record<string, JsonSchema>): JsonSchema => ({ type: 'object', additionalProperties: false, properties });
const int: JsonSchema = { type: 'integer', minimum: 0 };
const num: JsonSchema = { type: 'number' };
const bool: JsonSchema = { type: 'boolean' };
const str: JsonSchema = { type: 'string' };
const strs: JsonSchema = { type: 'array', items: { type: 'string' } };

/** Fact shapes modelled on what the GitHub, CI and Prometheus collectors gather. */
export const SYNTH_FACT_SCHEMAS: Record<string, JsonSchema> = {
  'synth.repository': obj({
    archived: bool, visibility: str, defaultBranch: str, topics: strs, language: str,
    hasReadme: bool, hasLicense: bool, hasCodeowners: bool, hasSecurityPolicy: bool,
    stars: int, openIssues: int, openPullRequests: int, pushedAt: str,
  }),
  'synth.protection': obj({
    enabled: bool, requiredReviews: int, dismissStale: bool, codeOwnerReviews: bool, enforceAdmins: bool,
    allowForcePush: bool, requiredChecks: strs, signedCommits: bool,
  }),
  'synth.ci': obj({
    coverage: obj({ line: num, branch: num }),
    tests: obj({ total: int, failed: int, skipped: int }),
    lastBuild: obj({ status: str, durationSeconds: num, finishedAt: str }),
    flakyRate: num,
  }),
  'synth.security': obj({
    alerts: obj({ critical: int, high: int, medium: int, low: int }),
    secretScanning: bool, dependabot: bool, sbom: bool, daysSinceLastScan: int,
  }),
  'synth.runtime': obj({
    sloTarget: num, availability30d: num, p99LatencyMs: num, incidents90d: int, onCall: bool, dashboards: int, alertRules: int,
  }),
};

export const SYNTH_FACT_IDS = Object.keys(SYNTH_FACT_SCHEMAS);

/** A push-only collector that only declares the bench fact schemas (nothing is collected). */
export const synthCollector: Collector = {
  id: 'synth',
  version: 1,
  factSchemas: SYNTH_FACT_SCHEMAS,
  maxAgeSeconds: Object.fromEntries(SYNTH_FACT_IDS.map((id) => [id, 7 * 86_400])),
  appliesTo: () => true,
  async collect() {
    return { facts: [], errors: [] };
  },
};

export const TRACK_IDS = ['basics', 'security', 'reliability', 'delivery', 'operations'] as const;
export const LEVEL_IDS = ['bronze', 'silver', 'gold'] as const;
export const CHECKS_TOTAL = 200;

const v = (path: string) => ({ var: path });
const isService = { in: [v('entity.spec.type'), ['service', 'website']] };

interface Template {
  facts: string[];
  rule: (t: number) => unknown;
  appliesTo?: unknown;
}

/** Rule shapes seen in real standards: comparisons, thresholds, membership, arithmetic, array quantifiers. */
const TEMPLATES: Template[] = [
  { facts: ['synth.repository'], rule: () => ({ '==': [v('synth.repository.archived'), false] }) },
  { facts: ['synth.ci'], rule: (t) => ({ '>=': [v('synth.ci.coverage.line'), 40 + (t % 50)] }) },
  { facts: ['synth.ci'], rule: (t) => ({ '>=': [v('synth.ci.coverage.branch'), 30 + (t % 50)] }) },
  { facts: ['synth.security'], rule: (t) => ({ '<=': [v('synth.security.alerts.high'), t % 4] }) },
  { facts: ['synth.protection'], rule: (t) => ({ and: [{ '==': [v('synth.protection.enabled'), true] }, { '>=': [v('synth.protection.requiredReviews'), 1 + (t % 2)] }] }) },
  { facts: ['synth.protection'], rule: () => ({ in: ['ci', v('synth.protection.requiredChecks')] }) },
  { facts: [], rule: () => ({ '!!': [v('entity.spec.owner')] }) },
  { facts: ['synth.repository', 'synth.security'], rule: () => ({ or: [{ '==': [v('synth.repository.visibility'), 'private'] }, { '==': [v('synth.security.secretScanning'), true] }] }) },
  { facts: ['synth.runtime'], rule: (t) => ({ '<': [v('synth.runtime.p99LatencyMs'), 200 + (t % 8) * 100] }), appliesTo: isService },
  { facts: ['synth.ci'], rule: () => ({ '==': [v('synth.ci.lastBuild.status'), 'success'] }) },
  { facts: ['synth.security'], rule: (t) => ({ '<=': [{ '+': [v('synth.security.alerts.critical'), v('synth.security.alerts.high')] }, t % 5] }) },
  { facts: ['synth.ci'], rule: (t) => ({ '>=': [{ '/': [{ '-': [v('synth.ci.tests.total'), v('synth.ci.tests.failed')] }, { max: [v('synth.ci.tests.total'), 1] }] }, 0.9 + (t % 10) / 100] }) },
  { facts: ['synth.repository'], rule: () => ({ and: [v('synth.repository.hasReadme'), v('synth.repository.hasLicense'), v('synth.repository.hasCodeowners')] }) },
  { facts: ['synth.runtime'], rule: (t) => ({ '>=': [v('synth.runtime.availability30d'), 99 + (t % 10) / 10] }), appliesTo: isService },
  { facts: ['synth.protection'], rule: () => ({ some: [v('synth.protection.requiredChecks'), { '==': [{ var: '' }, 'security-scan'] }] }) },
  { facts: ['synth.repository'], rule: (t) => ({ '<': [{ age_days: v('synth.repository.pushedAt') }, 30 + t] }) },
  { facts: ['synth.protection'], rule: () => ({ '!': [v('synth.protection.allowForcePush')] }) },
  { facts: ['synth.runtime'], rule: (t) => ({ and: [{ '==': [v('synth.runtime.onCall'), true] }, { '>=': [v('synth.runtime.alertRules'), 1 + (t % 5)] }] }), appliesTo: isService },
  { facts: ['synth.security'], rule: () => ({ and: [v('synth.security.dependabot'), v('synth.security.sbom')] }) },
  { facts: ['synth.repository'], rule: () => ({ in: [v('entity.spec.lifecycle'), ['production', 'experimental', 'deprecated']] }) },
];

export interface SyntheticDefinitions {
  checks: { file: string; text: string }[];
  tracks: { file: string; text: string }[];
  definitions: Definitions;
}

/** 200 checks from the templates with varied thresholds; 5 tracks of 40 checks, 3 levels each. */
export function syntheticDefinitions(): SyntheticDefinitions {
  const checks: { file: string; text: string }[] = [];
  const ids: string[] = [];
  for (let i = 0; i < CHECKS_TOTAL; i++) {
    const tpl = TEMPLATES[i % TEMPLATES.length];
    const id = `synth-${String(i).padStart(3, '0')}`;
    ids.push(id);
    const def: Record<string, unknown> = {
      id, name: `Synthetic check ${i}`, description: `Bench check ${i} (template ${i % TEMPLATES.length}).`,
      facts: tpl.facts, rule: tpl.rule(Math.floor(i / TEMPLATES.length)), remediation: 'Fix the synthetic fact.',
      effort: 'low', tags: ['bench'],
    };
    if (tpl.appliesTo) def.appliesTo = tpl.appliesTo;
    checks.push({ file: `checks/${id}.json`, text: JSON.stringify(def) });
  }
  const perTrack = CHECKS_TOTAL / TRACK_IDS.length;
  const tracks = TRACK_IDS.map((tid, t) => {
    // Interleave so each track mixes every template; lower levels get the easier (lower-threshold) checks.
    const mine = ids.filter((_, i) => i % TRACK_IDS.length === t);
    const cut = [0, Math.round(perTrack / 3), Math.round((2 * perTrack) / 3), perTrack];
    const def = {
      id: tid, name: tid[0].toUpperCase() + tid.slice(1), description: `Synthetic ${tid} track.`,
      appliesTo: { '==': [v('entity.kind'), 'Component'] },
      levels: LEVEL_IDS.map((lid, l) => ({ id: lid, name: lid, checks: mine.slice(cut[l], cut[l + 1]) })),
      gate: { level: 'bronze', mode: t % 2 === 0 ? 'ratchet' : 'strict', onUnknown: 'pass' },
    };
    return { file: `tracks/${tid}.json`, text: JSON.stringify(def) };
  });
  const { definitions, problems } = loadDefinitions({ checks, tracks, factSchemas: SYNTH_FACT_SCHEMAS });
  if (problems.length > 0) throw new Error(`synthetic definitions invalid:\n${formatProblems(problems)}`);
  return { checks, tracks, definitions };
}

export interface SyntheticOrg {
  teams: string[];
  entities: StoredEntity[];
  components: StoredEntity[];
}

/** N components (service / website / library) owned by N/100 teams (min 5), plus the team Group entities. */
export function syntheticEntities(components: number, seed = 42): SyntheticOrg {
  const rand = prng(seed);
  const teamCount = Math.max(5, Math.round(components / 100));
  const teams = Array.from({ length: teamCount }, (_, i) => `team-${String(i).padStart(3, '0')}`);
  const types = ['service', 'service', 'service', 'website', 'library'];
  const lifecycles = ['production', 'production', 'experimental', 'deprecated'];
  const out: StoredEntity[] = [];
  for (const team of teams) {
    const entity: Entity = { apiVersion: 'backstage.io/v1alpha1', kind: 'Group', metadata: { name: team, namespace: 'default' }, spec: { type: 'team', children: [] } };
    out.push({ ref: `group:default/${team}`, entity, owner: null, system: null });
  }
  const comps: StoredEntity[] = [];
  for (let i = 0; i < components; i++) {
    const name = `svc-${String(i).padStart(5, '0')}`;
    const team = teams[Math.floor(rand() * teamCount)];
    const system = `system-${String(Math.floor(i / 25)).padStart(4, '0')}`;
    const entity: Entity = {
      apiVersion: 'backstage.io/v1alpha1', kind: 'Component',
      metadata: {
        name, namespace: 'default', title: `Service ${i}`, description: rand() < 0.9 ? `Synthetic component ${i}` : undefined,
        annotations: { 'github.com/project-slug': `synth-org/${name}` }, tags: rand() < 0.7 ? ['bench'] : [],
      },
      spec: { type: types[Math.floor(rand() * types.length)], lifecycle: lifecycles[Math.floor(rand() * lifecycles.length)], owner: `group:default/${team}`, system },
    };
    const stored = { ref: `component:default/${name}`, entity, owner: `group:default/${team}`, system: `system:default/${system}` };
    comps.push(stored);
    out.push(stored);
  }
  return { teams: teams.map((t) => `group:default/${t}`), entities: out, components: comps };
}

/** One value of every bench fact for a component; `variant` shifts a few numbers (a change). */
export function syntheticFacts(ref: string, seed: number, now: Date, variant = 0): FactWrite[] {
  const rand = prng(seed);
  const q = rand(); // overall quality of this component, so levels spread over the range
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];
  const chance = (p: number) => rand() < p;
  const iso = (daysAgo: number) => new Date(now.getTime() - daysAgo * 86_400_000).toISOString();
  const checksPool = ['ci', 'lint', 'security-scan', 'e2e', 'build'];
  const data: Record<string, unknown> = {
    'synth.repository': {
      archived: chance(0.02), visibility: pick(['private', 'internal', 'public']), defaultBranch: 'main',
      topics: ['bench', pick(['api', 'web', 'batch', 'data'])], language: pick(['TypeScript', 'Go', 'Java', 'Python', 'Kotlin']),
      hasReadme: chance(0.6 + q * 0.4), hasLicense: chance(0.5 + q * 0.5), hasCodeowners: chance(0.3 + q * 0.7), hasSecurityPolicy: chance(q),
      stars: Math.floor(rand() * 50), openIssues: Math.floor(rand() * 40) + variant, openPullRequests: Math.floor(rand() * 15),
      pushedAt: iso(Math.floor(rand() * 90 * (1 - q))),
    },
    'synth.protection': {
      enabled: chance(0.5 + q * 0.5), requiredReviews: chance(q) ? 2 : chance(0.6) ? 1 : 0, dismissStale: chance(q),
      codeOwnerReviews: chance(q * 0.8), enforceAdmins: chance(q * 0.6), allowForcePush: chance(0.2 * (1 - q)),
      requiredChecks: checksPool.filter(() => chance(0.3 + q * 0.6)), signedCommits: chance(q * 0.3),
    },
    'synth.ci': {
      coverage: { line: Math.round((30 + q * 65 + rand() * 10 + variant) * 10) / 10, branch: Math.round((20 + q * 60 + rand() * 10) * 10) / 10 },
      tests: { total: 100 + Math.floor(rand() * 2000), failed: chance(0.8 + q * 0.2) ? 0 : Math.floor(rand() * 20), skipped: Math.floor(rand() * 10) },
      lastBuild: { status: chance(0.75 + q * 0.24) ? 'success' : 'failure', durationSeconds: 60 + Math.floor(rand() * 900) + variant, finishedAt: iso(rand() * 5) },
      flakyRate: Math.round(rand() * (1 - q) * 1000) / 10000,
    },
    'synth.security': {
      alerts: { critical: chance(0.1 * (1 - q)) ? 1 : 0, high: Math.floor(rand() * 5 * (1 - q)), medium: Math.floor(rand() * 10), low: Math.floor(rand() * 20) + variant },
      secretScanning: chance(0.4 + q * 0.6), dependabot: chance(0.5 + q * 0.5), sbom: chance(q * 0.8), daysSinceLastScan: Math.floor(rand() * 14),
    },
    'synth.runtime': {
      sloTarget: pick([99, 99.5, 99.9]), availability30d: Math.round((99 + q * 0.99 + rand() * 0.009) * 1000) / 1000,
      p99LatencyMs: Math.round(50 + (1 - q) * 900 + rand() * 100 + variant), incidents90d: Math.floor(rand() * 6 * (1 - q)),
      onCall: chance(0.5 + q * 0.5), dashboards: Math.floor(rand() * 6), alertRules: Math.floor(rand() * 12 * q),
    },
  };
  return SYNTH_FACT_IDS.map((id) => ({ entityRef: ref, id, data: data[id], source: 'bench', collectedAt: now }));
}

/** Facts of every component (5 per component). */
export function allSyntheticFacts(org: SyntheticOrg, now: Date): FactWrite[] {
  return org.components.flatMap((c, i) => syntheticFacts(c.ref, 1000 + i, now));
}

/** Minimal `pg`-like client (a `pg.Client` or `pg.Pool`). */
export interface SqlClient {
  query(text: string, values?: unknown[]): Promise<{ rows: any[]; rowCount: number | null }>;
}

/**
 * Run `load` with the tables' indexes and primary keys dropped, then build them again: a year of
 * roll-up rows (18 M at 10,000 components, six indexes) loads several times faster into bare tables.
 */
async function withoutIndexes(client: SqlClient, tables: string[], load: () => Promise<void>, onStep?: (msg: string) => void): Promise<void> {
  const { rows } = await client.query(`
    select t.relname as "table", ic.relname as "index", pg_get_indexdef(i.indexrelid) as def, c.conname as "constraint", pg_get_constraintdef(c.oid) as condef
    from pg_index i join pg_class t on t.oid = i.indrelid join pg_class ic on ic.oid = i.indexrelid
    left join pg_constraint c on c.conindid = i.indexrelid and c.contype in ('p', 'u')
    where t.relname = any($1::text[]) and t.relnamespace = 'public'::regnamespace`, [tables]);
  for (const r of rows) {
    await client.query(r.constraint ? `alter table ${r.table} drop constraint ${r.constraint}` : `drop index ${r.index}`);
  }
  await load();
  await client.query(`set maintenance_work_mem = '256MB'`);
  for (const r of rows) {
    await client.query(r.constraint ? `alter table ${r.table} add constraint ${r.constraint} ${r.condef}` : r.def);
  }
  onStep?.(`rebuilt ${rows.length} indexes`);
}

/**
 * A year of history before `today` (PostgreSQL only, bulk SQL with generate_series):
 * - `rollup_entity_track_daily`: one row per component × track × day. Each entity-track has a
 *   base level and up to three change points (two ups, one regression), derived from a hash.
 * - `level_history`: one row per change point where the level actually moved.
 * - `rollup_check_daily`: one row per check × day with outcome counts (organisation-wide, owner '*', as a full rescore writes them).
 * Returns row counts.
 */
export async function insertHistory(client: SqlClient, options: { days: number; today: Date; checkIds: string[]; onStep?: (msg: string) => void }) {
  const counts = { rollupEntityTrack: 0, levelHistory: 0, rollupCheck: 0 };
  await withoutIndexes(client, ['rollup_entity_track_daily', 'level_history', 'rollup_check_daily'], async () => {
    Object.assign(counts, await insertHistoryRows(client, options));
  }, options.onStep);
  return counts;
}

async function insertHistoryRows(client: SqlClient, options: { days: number; today: Date; checkIds: string[]; onStep?: (msg: string) => void }) {
  const { days } = options;
  const today = options.today.toISOString().slice(0, 10);
  const trackArr = `array[${TRACK_IDS.map((t) => `'${t}'`).join(',')}]::text[]`;
  const levelArr = `array[${LEVEL_IDS.map((l) => `'${l}'`).join(',')}]::text[]`;
  // Per entity-track parameters from a stable hash: base level -1..1, change days c1 < c2, regression day c3 (1 in 4).
  const params = `
    with p as (
      select e.ref, e.owner, t.track_id,
        (abs(hashtext(e.ref || t.track_id)) % 3) - 1 as base,
        abs(hashtext(e.ref || t.track_id || 'a')) % ${days} as c1,
        abs(hashtext(e.ref || t.track_id || 'b')) % ${days} as c2,
        case when abs(hashtext(e.ref || t.track_id || 'c')) % 4 = 0 then abs(hashtext(e.ref || t.track_id || 'd')) % ${days} else ${days + 1} end as c3
      from entities e cross join unnest(${trackArr}) as t(track_id)
      where e.kind = 'component'
    )`;
  const idx = (d: string) => `greatest(-1, least(2, p.base + (${d} >= p.c1)::int + (${d} >= p.c2)::int - (${d} >= p.c3)::int))`;
  const levelOf = (i: string) => `case when ${i} < 0 then null else (${levelArr})[${i} + 1] end`;
  const counts = { rollupEntityTrack: 0, levelHistory: 0, rollupCheck: 0 };
  // Day d (0 = oldest) is today - days + d; insert a month at a time so progress shows.
  for (let from = 0; from < days; from += 30) {
    const to = Math.min(days - 1, from + 29);
    const r = await client.query(`${params}
      insert into rollup_entity_track_daily (day, entity_ref, track_id, owner, level, level_index)
      select ('${today}'::date - ${days} + d), p.ref, p.track_id, p.owner, ${levelOf(idx('d'))}, ${idx('d')}
      from p cross join generate_series(${from}, ${to}) as d`);
    counts.rollupEntityTrack += r.rowCount ?? 0;
    options.onStep?.(`rollup_entity_track_daily days ${from}..${to}`);
  }
  // The pre-counted levels per day, track and team that the overview and team trends read.
  await client.query(`
    insert into rollup_level_counts_daily (day, track_id, owner, level_index, entities)
    select day, track_id, coalesce(owner, ''), level_index, count(*)::int
    from rollup_entity_track_daily where day < '${today}'::date
    group by day, track_id, coalesce(owner, ''), level_index
    on conflict do nothing`);
  await client.query(`
    insert into rollup_level_counts_daily (day, track_id, owner, level_index, entities)
    select day, track_id, '*', level_index, sum(entities)::int from rollup_level_counts_daily
    where day < '${today}'::date group by day, track_id, level_index`);
  options.onStep?.('rollup_level_counts_daily');
  const r1 = await client.query(`${params},
    ch as (
      select p.*, c.d, ${idx('c.d')} as now_idx, ${idx('(c.d - 1)')} as prev_idx
      from p cross join lateral (values (p.c1), (p.c2), (p.c3)) as c(d)
      where c.d between 1 and ${days - 1}
    )
    insert into level_history (entity_ref, track_id, level, previous_level, level_index, previous_level_index, at)
    select ch.ref, ch.track_id, ${levelOf('ch.now_idx')}, ${levelOf('ch.prev_idx')}, ch.now_idx, ch.prev_idx,
      ('${today}'::date - ${days} + ch.d)::timestamptz + interval '3 hours'
    from ch where ch.now_idx <> ch.prev_idx`);
  counts.levelHistory = r1.rowCount ?? 0;
  options.onStep?.('level_history');
  const checks = `array[${options.checkIds.map((c) => `'${c}'`).join(',')}]::text[]`;
  for (let from = 0; from < days; from += 60) {
    const to = Math.min(days - 1, from + 59);
    // Pass share per check × team drifts up over the year; a little unknown and not-applicable. Summed over teams.
    const r2 = await client.query(`
      with o as (select coalesce(owner, '') as owner, count(*)::int as n from entities where kind = 'component' group by 1),
      x as (
        select d, c.check_id, o.owner, o.n,
          least(1.0, (abs(hashtext(c.check_id || o.owner)) % 60) / 100.0 + 0.3 * d / ${days}) as share
        from o cross join unnest(${checks}) as c(check_id) cross join generate_series(${from}, ${to}) as d
      )
      insert into rollup_check_daily (day, check_id, owner, pass, fail, unknown, error, not_applicable, exempt)
      select ('${today}'::date - ${days} + d), check_id, '*',
        sum(floor((n - n / 20 - n / 10) * share))::int, sum((n - n / 20 - n / 10) - floor((n - n / 20 - n / 10) * share))::int, sum(n / 20)::int, 0, sum(n / 10)::int, 0
      from x group by d, check_id`);
    counts.rollupCheck += r2.rowCount ?? 0;
    options.onStep?.(`rollup_check_daily days ${from}..${to}`);
  }
  return counts;
}

/**
 * Bodies of `POST /api/v1/gate` as a CI job would send them: request `from + k` gates one component's
 * repository at its own sha and pull request, pushing a changed `synth.ci` fact (one of three variants).
 */
export function gateBodies(org: SyntheticOrg, now: Date, count: number, from = 0): string[] {
  return Array.from({ length: count }, (_, j) => {
    const k = from + j;
    const c = org.components[(k * 37) % org.components.length];
    return JSON.stringify({
      repo: c.entity.metadata.annotations!['github.com/project-slug'], sha: (0x1000000 + k).toString(16).padStart(40, 'b'),
      pullRequest: 1 + (k % 500), baseRef: 'main',
      facts: [{ id: 'synth.ci', data: syntheticFacts(c.ref, k, now, k % 3)[2].data }],
    });
  });
}
