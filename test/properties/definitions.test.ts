/**
 * Property-based tests of the check/track loader and the engine (fast-check), beyond the
 * differential JsonLogic test in server/src/engine: random definitions never crash the loader;
 * evaluation is deterministic; a check turning from fail to pass never lowers a level.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeTrackLevel, evaluateEntity, loadDefinitions, type Definitions } from '../../server/src/engine/index.js';
import type { DefinitionFile, Outcome, TrackDefinition } from '../../server/src/engine/types.js';
import { check, FACT_SCHEMAS, fact, input, track } from '../../server/src/engine/test/fixtures.js';

const NOW = new Date('2025-06-01T00:00:00Z');
const RUNS = { numRuns: 300, seed: 20251125 };

const ids = fc.constantFrom('a', 'b', 'c', 'has-owner', 'x', '', 'A B', 'c/..', 'ü', 'dup');
/** A value of any JSON type, sometimes a plausible piece of a check. */
const anyJson = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.constantFrom({ var: 'github.repository.archived' }, { '==': [{ var: 'github.repository.nope' }, 1] }, { regex_match: ['(', 'x'] }, { if: [] }, ['github.repository']),
);
/** A check object with each field present or not, of the right type or not. */
const fuzzedCheck = fc.record({
  id: fc.oneof(ids, anyJson), name: fc.oneof(fc.string(), anyJson), description: fc.oneof(fc.string(), anyJson),
  facts: fc.oneof(fc.constant(['github.repository']), fc.array(fc.constantFrom('github.repository', 'ci-report.coverage', 'nope.fact', ''), { maxLength: 3 }), anyJson),
  rule: anyJson, appliesTo: anyJson, remediation: fc.oneof(fc.string(), anyJson), tags: anyJson, extra: anyJson,
}, { requiredKeys: [] });
const fuzzedTrack = fc.record({
  id: fc.oneof(ids, anyJson), name: fc.oneof(fc.string(), anyJson), description: fc.string(),
  levels: fc.oneof(fc.array(fc.record({ id: fc.oneof(ids, anyJson), name: fc.string(), checks: fc.oneof(fc.array(ids, { maxLength: 4 }), anyJson) }, { requiredKeys: [] }), { maxLength: 4 }), anyJson),
  gate: fc.oneof(fc.record({ level: ids, mode: fc.constantFrom('strict', 'ratchet', 'lenient'), onUnknown: fc.constantFrom('fail', 'pass', 'maybe') }, { requiredKeys: [] }), anyJson),
}, { requiredKeys: [] });
/** File text: a fuzzed object, or text that is not JSON at all. */
const text = (obj: fc.Arbitrary<unknown>) => fc.oneof({ weight: 4, arbitrary: obj.map((o) => JSON.stringify(o)) }, fc.string(), fc.constantFrom('', '{', 'null', '[]', '{"id":', '\u0000'));
const file = (kind: 'checks' | 'tracks', obj: fc.Arbitrary<unknown>) => fc.tuple(ids, text(obj)).map(([id, t]): DefinitionFile => ({ file: `${kind}/${id || 'unnamed'}.json`, text: t }));

describe('the loader on random definitions', () => {
  it('never throws: it returns problems naming the files, and loads only what is valid', () => {
    fc.assert(fc.property(fc.array(file('checks', fuzzedCheck), { maxLength: 6 }), fc.array(file('tracks', fuzzedTrack), { maxLength: 3 }), (checks, tracks) => {
      const { definitions, problems } = loadDefinitions({ checks, tracks, factSchemas: FACT_SCHEMAS });
      expect(typeof definitions.version).toBe('string');
      const files = new Set([...checks, ...tracks].map((f) => f.file));
      for (const p of problems) expect(files.has(p.file)).toBe(true);
      // Each loaded check's id is its file name; each loaded track names only loaded checks.
      for (const [id] of definitions.checks) expect(checks.some((f) => f.file === `checks/${id}.json`)).toBe(true);
      for (const t of definitions.tracks.values()) for (const l of t.definition.levels) for (const c of l.checks) expect(definitions.checks.has(c)).toBe(true);
    }), RUNS);
  });

  it('gives the same version and problems whatever the order of the files', () => {
    fc.assert(fc.property(fc.array(file('checks', fuzzedCheck), { maxLength: 5 }), fc.array(file('tracks', fuzzedTrack), { maxLength: 2 }), (checks, tracks) => {
      const a = loadDefinitions({ checks, tracks, factSchemas: FACT_SCHEMAS });
      const b = loadDefinitions({ checks: [...checks].reverse(), tracks: [...tracks].reverse(), factSchemas: FACT_SCHEMAS });
      expect(b.definitions.version).toBe(a.definitions.version);
      expect([...b.definitions.checks.keys()]).toEqual([...a.definitions.checks.keys()]);
    }), RUNS);
  });
});

/** Valid checks over `ci-report.coverage.lines`: check i passes when lines ≥ its bar. */
function coverageDefinitions(bars: number[], levels: number[][]): Definitions {
  const checks = bars.map((bar, i) => check(`c${i}`, { facts: ['ci-report.coverage'], rule: { '>=': [{ var: 'ci-report.coverage.lines' }, bar] } }));
  const tracks = [track('t', levels.map((l, i): [string, string[]] => [`l${i}`, l.map((c) => `c${c}`)]))];
  const { definitions, problems } = loadDefinitions({ checks, tracks, factSchemas: FACT_SCHEMAS });
  expect(problems).toEqual([]);
  return definitions;
}
const scenario = fc.integer({ min: 1, max: 6 }).chain((n) => fc.record({
  bars: fc.array(fc.integer({ min: 0, max: 100 }), { minLength: n, maxLength: n }),
  // Each check in at most one level (a check listed twice is refused by the loader).
  levels: fc.tuple(fc.shuffledSubarray([...Array(n).keys()], { minLength: 1 }), fc.array(fc.integer({ min: 1, max: n }), { maxLength: 3 }))
    .map(([order, cuts]) => [...new Set([0, ...cuts.filter((c) => c < order.length).sort((x, y) => x - y), order.length])]
      .slice(0, -1).map((start, i, starts) => order.slice(start, starts[i + 1] ?? order.length))),
}));
const coverage = fc.oneof(fc.integer({ min: 0, max: 100 }), fc.constant(null));
const levelIndex = (defs: Definitions, level: string | null) => (level === null ? -1 : defs.tracks.get('t')!.definition.levels.findIndex((l) => l.id === level));

describe('the engine on random definitions and facts', () => {
  it('is deterministic: the same input gives the same evaluation, also from a fresh load', () => {
    fc.assert(fc.property(scenario, coverage, fc.boolean(), ({ bars, levels }, lines, stale) => {
      const defs = coverageDefinitions(bars, levels);
      const entity = input('svc', lines === null ? [] : [fact('ci-report.coverage', { lines }, stale)]);
      const first = evaluateEntity(defs, entity, [], NOW);
      expect(evaluateEntity(defs, entity, [], NOW)).toEqual(first);
      expect(evaluateEntity(coverageDefinitions(bars, levels), structuredClone(entity), [], NOW)).toEqual(first);
    }), RUNS);
  });

  it('a stale fact never lets a check reading it pass', () => {
    fc.assert(fc.property(scenario, fc.integer({ min: 0, max: 100 }), ({ bars, levels }, lines) => {
      const result = evaluateEntity(coverageDefinitions(bars, levels), input('svc', [fact('ci-report.coverage', { lines }, true)]), [], NOW);
      for (const r of result.results) expect(r.outcome).toBe('unknown');
      expect(result.tracks[0].level).toBeNull();
    }), RUNS);
  });

  it('levels are monotone: better coverage (checks turning fail → pass) never lowers a level', () => {
    fc.assert(fc.property(scenario, fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }), ({ bars, levels }, a, b) => {
      const defs = coverageDefinitions(bars, levels);
      const [low, high] = a <= b ? [a, b] : [b, a];
      const before = evaluateEntity(defs, input('svc', [fact('ci-report.coverage', { lines: low })]), [], NOW);
      const after = evaluateEntity(defs, input('svc', [fact('ci-report.coverage', { lines: high })]), [], NOW);
      // Sanity: no check went from pass to fail.
      for (const r of before.results) if (r.outcome === 'pass') expect(after.results.find((x) => x.checkId === r.checkId)!.outcome).toBe('pass');
      expect(levelIndex(defs, after.tracks[0].level)).toBeGreaterThanOrEqual(levelIndex(defs, before.tracks[0].level));
    }), RUNS);
  });

  it('levels are monotone for any outcomes: flipping one check to pass (or exempt) never lowers the level', () => {
    const outcomes = fc.constantFrom<Outcome>('pass', 'fail', 'unknown', 'error', 'not-applicable', 'exempt');
    fc.assert(fc.property(
      // computeTrackLevel takes any track (even one the loader would refuse): the property holds regardless.
      fc.array(fc.uniqueArray(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 5 }),
      fc.array(outcomes, { minLength: 6, maxLength: 6 }),
      fc.integer({ min: 0, max: 5 }),
      fc.constantFrom<Outcome>('pass', 'exempt'),
      (levels, states, flip, to) => {
        const t: TrackDefinition = { id: 't', name: 'T', description: 'T', levels: levels.map((l, i) => ({ id: `l${i}`, name: `L${i}`, checks: l.map((c) => `c${c}`) })) };
        const index = (level: string | null) => (level === null ? -1 : t.levels.findIndex((l) => l.id === level));
        const before = new Map(states.map((o, i) => [`c${i}`, o]));
        const after = new Map(before).set(`c${flip}`, to);
        expect(index(computeTrackLevel(t, after).level)).toBeGreaterThanOrEqual(index(computeTrackLevel(t, before).level));
      },
    ), { numRuns: 1000, seed: 20251125 });
  });
});
