import { describe, expect, it } from 'vitest';
import { computeTrackLevel, evaluateEntity } from './evaluate.js';
import { loadDefinitions } from './load-definitions.js';
import { check, fact, FACT_SCHEMAS, input, track } from './test/fixtures.js';
import type { Exemption, Outcome, TrackDefinition } from './types.js';

const NOW = new Date('2025-06-01T00:00:00Z');
const { definitions, problems } = loadDefinitions({
  factSchemas: FACT_SCHEMAS,
  checks: [
    check('protected', {
      rule: { '==': [{ var: 'github.repository.defaultBranch.protected' }, true] },
      appliesTo: { in: [{ var: 'entity.spec.type' }, ['service', 'website']] },
    }),
    check('recent-push', { rule: { '<': [{ age_days: { var: 'github.repository.pushedAt' } }, 90] } }),
    check('coverage', { facts: ['ci-report.coverage'], rule: { '>=': [{ var: 'ci-report.coverage.lines' }, 80] } }),
    check('broken', { rule: { semver: ['>=', { var: 'github.repository.defaultBranch.name' }, '1.0.0'] } }),
  ],
  tracks: [track('basics', [['bronze', ['protected']], ['silver', ['recent-push']], ['gold', ['coverage']]])],
});

const repo = (over: Record<string, unknown> = {}) =>
  fact('github.repository', { archived: false, defaultBranch: { name: 'main', protected: true }, pushedAt: '2025-05-20T00:00:00Z', ...over });
const cov = (lines: number, stale = false) => fact('ci-report.coverage', { lines }, stale);
const exemption = (checkId: string, expiresAt: string): Exemption => ({
  entityRef: 'component:default/svc',
  checkId,
  reason: 'migrating to the new CI',
  author: 'alice',
  expiresAt,
});

function outcomeOf(checkId: string, facts: ReturnType<typeof fact>[], opts: { spec?: Record<string, unknown>; exemptions?: Exemption[] } = {}) {
  const ev = evaluateEntity(definitions, input('svc', facts, opts.spec), opts.exemptions ?? [], NOW);
  return ev.results.find((r) => r.checkId === checkId)!;
}

describe('evaluateEntity outcomes', () => {
  it('loads its fixtures', () => expect(problems).toEqual([]));

  it.each<[string, string, ReturnType<typeof fact>[], { spec?: Record<string, unknown>; exemptions?: Exemption[] }, Outcome, RegExp]>([
    ['pass', 'protected', [repo()], {}, 'pass', /github.repository.defaultBranch.protected was true/],
    ['fail explains itself', 'protected', [repo({ defaultBranch: { name: 'main', protected: false } })], {}, 'fail', /^github.repository.defaultBranch.protected was false$/],
    ['appliesTo false', 'protected', [repo()], { spec: { type: 'library' } }, 'not-applicable', /does not apply: entity.spec.type was "library"/],
    ['missing fact', 'coverage', [repo()], {}, 'unknown', /fact ci-report.coverage is missing/],
    ['stale fact', 'coverage', [repo(), cov(95, true)], {}, 'unknown', /fact ci-report.coverage is stale \(last collected 2025-05-31T00:00:00Z\)/],
    ['fresh fact', 'coverage', [repo(), cov(95)], {}, 'pass', /ci-report.coverage.lines was 95/],
    ['age_days uses injected now', 'recent-push', [repo({ pushedAt: '2025-01-01T00:00:00Z' })], {}, 'fail', /pushedAt was "2025-01-01T00:00:00Z"/],
    ['rule throws', 'broken', [repo({ defaultBranch: { name: 'not-a-version', protected: true } })], {}, 'error', /could not be evaluated: semver: "not-a-version" is not a version/],
    ['unexpired exemption on a fail', 'coverage', [repo(), cov(10)], { exemptions: [exemption('coverage', '2025-07-01T00:00:00Z')] }, 'exempt', /exempt until 2025-07-01T00:00:00Z \(alice: migrating to the new CI\); otherwise fail/],
    ['unexpired exemption on unknown', 'coverage', [repo()], { exemptions: [exemption('coverage', '2025-07-01T00:00:00Z')] }, 'exempt', /otherwise unknown/],
    ['expired exemption is ignored', 'coverage', [repo(), cov(10)], { exemptions: [exemption('coverage', '2025-05-01T00:00:00Z')] }, 'fail', /lines was 10/],
    ['exemption expiring exactly now is ignored', 'coverage', [repo(), cov(10)], { exemptions: [exemption('coverage', NOW.toISOString())] }, 'fail', /lines was 10/],
    ['exemption on a pass changes nothing', 'coverage', [repo(), cov(90)], { exemptions: [exemption('coverage', '2025-07-01T00:00:00Z')] }, 'pass', /lines was 90/],
    ['exemption for another check', 'coverage', [repo(), cov(10)], { exemptions: [exemption('protected', '2025-07-01T00:00:00Z')] }, 'fail', /lines was 10/],
  ])('%s', (_name, checkId, facts, opts, outcome, message) => {
    const r = outcomeOf(checkId, facts, opts);
    expect(r.outcome).toBe(outcome);
    expect(r.message).toMatch(message);
  });

  it('carries the exemption and the values read', () => {
    const r = outcomeOf('coverage', [repo(), cov(10)], { exemptions: [exemption('coverage', '2025-07-01T00:00:00Z')] });
    expect(r.exemption).toEqual({ reason: 'migrating to the new CI', author: 'alice', expiresAt: '2025-07-01T00:00:00Z' });
    expect(r.values).toEqual({ 'ci-report.coverage.lines': 10 });
  });

  it('records missing paths as null and keeps facts namespaced', () => {
    const r = outcomeOf('protected', [repo({ defaultBranch: undefined })]);
    expect(r.values).toEqual({ 'entity.spec.type': 'service', 'github.repository.defaultBranch.protected': null });
  });

  it('omits tracks whose appliesTo is false', () => {
    const { definitions: defs } = loadDefinitions({
      factSchemas: FACT_SCHEMAS,
      checks: [check('a')],
      tracks: [track('services', [['bronze', ['a']]], { appliesTo: { '==': [{ var: 'entity.spec.type' }, 'service'] } })],
    });
    expect(evaluateEntity(defs, input('svc', [repo()]), [], NOW).tracks.map((t) => t.trackId)).toEqual(['services']);
    expect(evaluateEntity(defs, input('lib', [repo()], { type: 'library' }), [], NOW).tracks).toEqual([]);
  });

  it('reports the level reached and what blocks the next one', () => {
    const ev = evaluateEntity(definitions, input('svc', [repo(), cov(10)]), [], NOW);
    expect(ev.tracks).toEqual([{ trackId: 'basics', level: 'silver', nextLevel: 'gold', missing: ['coverage'] }]);
    expect(ev.definitionsVersion).toBe(definitions.version);
  });
});

const levels: TrackDefinition = {
  id: 't',
  name: 'T',
  description: '',
  levels: [
    { id: 'bronze', name: 'Bronze', checks: ['a', 'b'] },
    { id: 'silver', name: 'Silver', checks: ['c'] },
    { id: 'gold', name: 'Gold', checks: ['d'] },
  ],
};

describe('computeTrackLevel', () => {
  it.each<[string, Record<string, Outcome>, string | null, string | null, string[]]>([
    ['all pass', { a: 'pass', b: 'pass', c: 'pass', d: 'pass' }, 'gold', null, []],
    ['exempt counts as pass', { a: 'exempt', b: 'pass', c: 'exempt', d: 'fail' }, 'silver', 'gold', ['d']],
    ['not-applicable counts as pass', { a: 'not-applicable', b: 'pass', c: 'fail', d: 'pass' }, 'bronze', 'silver', ['c']],
    ['nothing reached', { a: 'fail', b: 'unknown', c: 'pass', d: 'pass' }, null, 'bronze', ['a', 'b']],
    ['monotonic: a failing lower level caps higher ones', { a: 'pass', b: 'pass', c: 'fail', d: 'pass' }, 'bronze', 'silver', ['c']],
    ['unknown does not pass', { a: 'pass', b: 'pass', c: 'unknown', d: 'pass' }, 'bronze', 'silver', ['c']],
    ['error does not pass', { a: 'error', b: 'pass', c: 'pass', d: 'pass' }, null, 'bronze', ['a']],
    ['a check with no result does not pass', { a: 'pass', b: 'pass', c: 'pass' }, 'silver', 'gold', ['d']],
  ])('%s', (_name, outcomes, level, nextLevel, missing) => {
    expect(computeTrackLevel(levels, new Map(Object.entries(outcomes)))).toEqual({ trackId: 't', level, nextLevel, missing });
  });

  it('never rises when an outcome gets worse (monotonicity, exhaustive)', () => {
    const all: Outcome[] = ['pass', 'fail', 'unknown', 'error', 'not-applicable', 'exempt'];
    const rank = (l: string | null) => (l === null ? -1 : levels.levels.findIndex((x) => x.id === l));
    for (const a of all)
      for (const c of all) {
        const good = new Map<string, Outcome>([['a', a], ['b', 'pass'], ['c', c], ['d', 'pass']]);
        const worse = new Map(good).set('c', 'fail');
        expect(rank(computeTrackLevel(levels, worse).level)).toBeLessThanOrEqual(rank(computeTrackLevel(levels, good).level));
      }
  });
});
