import { describe, expect, it } from 'vitest';
import jsonLogic from 'json-logic-js';
import suite from './test/jsonlogic-tests.json' with { type: 'json' };
import { compileLogic } from './jsonlogic.js';

const cases = (suite as unknown[])
  .filter((row): row is [unknown, unknown, unknown] => Array.isArray(row))
  .map(([rule, data, expected]) => ({ name: JSON.stringify(rule).slice(0, 100), rule, data, expected }));

const NOW = Date.parse('2025-06-01T00:00:00Z');
const ctx = { nowMs: NOW };

function run(rule: unknown, data: unknown = {}): unknown {
  const { compiled, problems } = compileLogic(rule);
  expect(problems).toEqual([]);
  return compiled!.evaluate(data, ctx);
}

describe('official JsonLogic suite', () => {
  it('has all 277 cases', () => expect(cases).toHaveLength(277));
  it.each(cases)('$name', ({ rule, data, expected }) => {
    expect(run(rule, data)).toEqual(expected);
  });
});

describe('agrees with json-logic-js on edge cases', () => {
  it.each([
    [{ and: [] }, {}],
    [{ '*': ['2'] }, {}],
    [{ '+': [] }, {}],
    [{ var: ['a.b', { cat: ['x', 'y'] }] }, { a: {} }],
    [{ var: { cat: ['a', '.b'] } }, { a: { b: 3 } }],
    [{ var: 'list.length' }, { list: [1, 2, 3] }],
    [{ var: 1 }, ['x', 'y']],
    [{ in: ['b', { var: 'tags' }] }, { tags: ['a', 'b'] }],
    [{ if: [] }, {}],
    [{ reduce: [{ var: 'x' }, { '+': [{ var: 'current' }, { var: 'accumulator' }] }] }, { x: [1, 2] }],
  ])('%j on %j', (rule, data) => {
    expect(run(rule, data)).toEqual(jsonLogic.apply(rule as never, data));
  });
});

describe('extra operators', () => {
  it.each([
    [{ age_days: '2025-05-31T00:00:00Z' }, {}, 1],
    [{ age_days: { var: 'd' } }, { d: '2025-05-22T00:00:00Z' }, 10],
    [{ age_days: { var: 'missing' } }, {}, null],
    [{ '<': [{ age_days: { var: 'd' } }, 90] }, { d: '2025-05-01' }, true],
    [{ semver: ['>=', { var: 'v' }, '18.0.0'] }, { v: '20.1.0' }, true],
    [{ semver: ['<', { var: 'v' }, '18.0.0'] }, { v: 'v16.3.1' }, true],
    [{ semver: ['>=', { var: 'v' }, '2.0.0'] }, { v: '1.9' }, false],
    [{ semver: ['==', '1.2.3', { var: 'v' }] }, { v: '1.2.3' }, true],
    [{ semver: ['!=', '1.2.3', { var: 'v' }] }, { v: '1.2.3' }, false],
    [{ semver: ['satisfies', { var: 'v' }, '^5.0.0'] }, { v: '5.4.2' }, true],
    [{ semver: ['satisfies', { var: 'v' }, '^5.0.0'] }, { v: '6.0.0' }, false],
    [{ semver: ['>', { var: 'v' }, '1.0.0'] }, {}, null],
    [{ regex_match: ['^payments-', { var: 'name' }] }, { name: 'payments-api' }, true],
    [{ regex_match: ['^payments-', { var: 'name' }] }, { name: 'orders' }, false],
    [{ regex_match: ['^API$', { var: 'name' }, 'i'] }, { name: 'api' }, true],
    [{ regex_match: ['x', { var: 'name' }] }, {}, false],
    [{ regex_match: [{ var: 'p' }, 'abc'] }, { p: 'b' }, true],
  ])('%j on %j → %j', (rule, data, expected) => {
    expect(run(rule, data)).toEqual(expected);
  });

  it.each([
    [{ age_days: { var: 'd' } }, { d: 'not a date' }, /not an ISO date/],
    [{ semver: ['>', { var: 'v' }, '1.0.0'] }, { v: 'banana' }, /not a version/],
    [{ semver: [{ var: 'op' }, '1.0.0', '1.0.0'] }, { op: '~' }, /unknown comparison/],
    [{ regex_match: [{ var: 'p' }, 'abc'] }, { p: '(' }, /invalid regular expression/],
  ])('%j on %j throws at runtime', (rule, data, message) => {
    const { compiled } = compileLogic(rule);
    expect(() => compiled!.evaluate(data, ctx)).toThrow(message);
  });

  it('runs a catastrophic-backtracking pattern in linear time', () => {
    const subject = `${'a'.repeat(50_000)}b`;
    const started = performance.now();
    expect(run({ regex_match: ['(a+)+$', { var: 's' }] }, { s: subject })).toBe(false);
    expect(run({ regex_match: ['^(a|aa)+$', { var: 's' }] }, { s: subject })).toBe(false);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe('compile-time problems', () => {
  it.each([
    [{ '==': [{ varr: 'a' }, 1] }, '/==/0/varr', /unknown JsonLogic operator "varr" \(did you mean "var"\?\)/],
    [{ regex_match: ['(', { var: 'a' }] }, '/regex_match/0', /invalid regular expression/],
    [{ regex_match: ['a', { var: 'a' }, 'q'] }, '/regex_match/0', /unknown flag "q"/],
    [{ semver: ['~>', { var: 'a' }, '1.0.0'] }, '/semver/0', /unknown comparison/],
    [{ semver: ['>=', { var: 'a' }, 'one'] }, '/semver/2', /not a version/],
    [{ semver: ['satisfies', { var: 'a' }, '^^1'] }, '/semver/2', /not a version range/],
    [{ semver: ['>=', { var: 'a' }] }, '/semver', /three arguments/],
    [{ age_days: 'yesterday' }, '/age_days', /not an ISO date/],
    [{ '/': [{ 'a/b': 1 }, 2] }, '/~1/0/a~1b', /unknown JsonLogic operator/],
  ])('%j → %s', (rule, pointer, message) => {
    const { compiled, problems } = compileLogic(rule);
    expect(compiled).toBeNull();
    expect(problems[0].pointer).toBe(pointer);
    expect(problems[0].message).toMatch(message);
  });

  it.each([
    [10, false],
    [62, false],
    [64, true],
    [1000, true],
    [100_000, true],
  ])('nesting %i operators deep: problem=%s, never a crash', (depth, isProblem) => {
    let rule: unknown = { var: 'a' };
    for (let i = 0; i < depth; i++) rule = { '!': [rule] };
    const { problems } = compileLogic(rule);
    if (isProblem) expect(problems[0].message).toMatch(/nested deeper than 64 levels/);
    else expect(problems).toEqual([]);
  });

  it('limits the number of nodes', () => {
    const rule = { and: Array.from({ length: 6000 }, () => true) };
    expect(compileLogic(rule).problems[0].message).toMatch(/more than 5000 nodes/);
  });
});

describe('var paths', () => {
  it('collects literal paths with their scope and pointer', () => {
    const { compiled } = compileLogic({
      and: [
        { '==': [{ var: 'github.repository.archived' }, false] },
        { some: [{ var: 'github.repository.topics' }, { '==': [{ var: 'name' }, 'x'] }] },
        { missing: ['entity.spec.owner'] },
      ],
    });
    expect(compiled!.rootPaths).toEqual(['github.repository.archived', 'github.repository.topics', 'entity.spec.owner']);
    const item = compiled!.vars.find((v) => v.path === 'name')!;
    expect(item.pointer).toBe('/and/1/some/1/==/0/var');
    expect(item.scope).toMatchObject({ kind: 'item', source: { path: 'github.repository.topics' } });
  });
});

describe('differential: random rules agree with json-logic-js', () => {
  it('on 2,000 generated rules', async () => {
    const fc = await import('fast-check');
    const leaf = fc.oneof(
      fc.integer({ min: -5, max: 5 }),
      fc.constantFrom('a', '1', '', 'b', true, false, null),
      fc.constantFrom({ var: 'x' }, { var: 'y.z' }, { var: 'list' }, { var: 'nope' }, { var: ['nope', 3] }),
      // Three and four segments (unrolled readers), through null, a number and a string.
      fc.constantFrom({ var: 'a.b.c' }, { var: 'a.b.c.d' }, { var: 'a.n.c' }, { var: 'a.b.e.f' }, { var: 'y.z.length' }, { var: ['a.n.c.d', 'dflt'] }),
    );
    const ops = ['==', '===', '!=', '>', '>=', '<', '<=', '!', '!!', 'and', 'or', 'if', 'in', 'cat', '+', '-', '*', '/', '%', 'min', 'max', 'merge'];
    const rule = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('op')),
      op: fc.tuple(fc.constantFrom(...ops), fc.array(tie('node'), { minLength: 1, maxLength: 3 })).map(([op, args]) => ({ [op]: args })),
    })).node;
    const data = { x: 2, y: { z: 'b' }, list: [1, 'a', 2], a: { b: { c: 3, e: { f: null } }, n: null } };
    const outcome = (f: () => unknown) => {
      try {
        return { value: f() };
      } catch {
        return { threw: true };
      }
    };
    fc.assert(
      fc.property(rule, (r) => {
        const { compiled } = compileLogic(r);
        expect(outcome(() => compiled!.evaluate(data, ctx))).toEqual(outcome(() => jsonLogic.apply(r as never, data)));
      }),
      { numRuns: 2000, seed: 42 },
    );
  });
});
