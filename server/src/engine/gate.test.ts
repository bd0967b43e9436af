import { describe, expect, it } from 'vitest';
import { gateTrack } from './gate.js';
import { loadDefinitions } from './load-definitions.js';
import { check, FACT_SCHEMAS, track } from './test/fixtures.js';
import type { EntityEvaluation, GateDefinition, Outcome } from './types.js';

const { definitions } = loadDefinitions({
  factSchemas: FACT_SCHEMAS,
  checks: ['a', 'b', 'c', 'd'].map((id) => check(id)),
  tracks: [track('basics', [['bronze', ['a', 'b']], ['silver', ['c']], ['gold', ['d']]])],
});
const baseTrack = definitions.tracks.get('basics')!.definition;

function evaluation(outcomes: Record<string, Outcome>, applies = true): EntityEvaluation {
  return {
    ref: 'component:default/svc',
    definitionsVersion: definitions.version,
    results: Object.entries(outcomes).map(([checkId, outcome]) => ({ checkId, outcome, message: `${checkId} was ${outcome}`, values: {} })),
    tracks: applies ? [{ trackId: 'basics', level: null, nextLevel: null, missing: [] }] : [],
  };
}

const P: Outcome = 'pass';
const F: Outcome = 'fail';
const U: Outcome = 'unknown';
type Row = [string, GateDefinition, Record<string, Outcome>, Record<string, Outcome>, boolean, string[], string[], string[]];

const strictSilver: GateDefinition = { level: 'silver', mode: 'strict', onUnknown: 'fail' };
const ratchetBronze: GateDefinition = { level: 'bronze', mode: 'ratchet', onUnknown: 'fail' };

describe('gateTrack', () => {
  it.each<Row>([
    // name, gate, base, head, passed, newlyFailing, stillFailing, fixed
    ['strict: at the level passes', strictSilver, { a: P, b: P, c: P, d: F }, { a: P, b: P, c: P, d: F }, true, [], ['d'], []],
    ['strict: below the level fails, even for legacy debt', strictSilver, { a: P, b: P, c: F, d: P }, { a: P, b: P, c: F, d: P }, false, [], ['c'], []],
    ['strict: a regression above the level does not block', strictSilver, { a: P, b: P, c: P, d: P }, { a: P, b: P, c: P, d: F }, true, ['d'], [], []],
    ['strict: exempt counts as pass', strictSilver, { a: P, b: P, c: F, d: F }, { a: 'exempt', b: P, c: 'exempt', d: F }, true, [], ['d'], ['c']],
    ['strict: unknown fails with onUnknown fail', strictSilver, { a: P, b: P, c: P, d: P }, { a: P, b: P, c: U, d: P }, false, ['c'], [], []],
    ['strict: unknown passes with onUnknown pass', { ...strictSilver, onUnknown: 'pass' }, { a: P, b: P, c: P, d: P }, { a: P, b: P, c: U, d: P }, true, [], [], []],
    ['strict: error never passes', { ...strictSilver, onUnknown: 'pass' }, { a: P, b: P, c: P, d: P }, { a: 'error', b: P, c: P, d: P }, false, ['a'], [], []],
    ['ratchet: legacy debt does not block', ratchetBronze, { a: F, b: P, c: F, d: F }, { a: F, b: P, c: F, d: F }, true, [], ['a', 'c', 'd'], []],
    ['ratchet: a regression blocks', ratchetBronze, { a: P, b: P, c: P, d: P }, { a: P, b: F, c: P, d: P }, false, ['b'], [], []],
    ['ratchet: a regression in any level blocks', ratchetBronze, { a: P, b: P, c: P, d: P }, { a: P, b: P, c: P, d: F }, false, ['d'], [], []],
    ['ratchet: fixing is reported', ratchetBronze, { a: F, b: P, c: F, d: P }, { a: P, b: P, c: F, d: P }, true, [], ['c'], ['a']],
    ['ratchet: unknown on head blocks with onUnknown fail', ratchetBronze, { a: P, b: P, c: P, d: P }, { a: U, b: P, c: P, d: P }, false, ['a'], [], []],
    ['ratchet: unknown on head passes with onUnknown pass', { ...ratchetBronze, onUnknown: 'pass' }, { a: P, b: P, c: P, d: P }, { a: U, b: P, c: P, d: P }, true, [], [], []],
    ['ratchet: unknown on base and fail on head is debt with onUnknown fail', ratchetBronze, { a: U, b: P, c: P, d: P }, { a: F, b: P, c: P, d: P }, true, [], ['a'], []],
    ['ratchet: exempt on base then fail on head blocks', ratchetBronze, { a: 'exempt', b: P, c: P, d: P }, { a: F, b: P, c: P, d: P }, false, ['a'], [], []],
    ['ratchet: a check missing from head counts as unknown', ratchetBronze, { a: P, b: P, c: P, d: P }, { a: P, b: P, c: P }, false, ['d'], [], []],
  ])('%s', (_name, gate, base, head, passed, newly, still, fixed) => {
    const v = gateTrack({ track: { ...baseTrack, gate }, definitions, base: evaluation(base), head: evaluation(head) });
    expect(v.passed).toBe(passed);
    expect(v.newlyFailing.map((c) => c.checkId)).toEqual(newly);
    expect(v.stillFailing.map((c) => c.checkId)).toEqual(still);
    expect(v.fixed).toEqual(fixed);
    expect(v.reason.length).toBeGreaterThan(20);
  });

  it('explains a failure with names, messages and remediation', () => {
    const v = gateTrack({ track: { ...baseTrack, gate: ratchetBronze }, definitions, base: evaluation({ a: P, b: P, c: P, d: P }), head: evaluation({ a: P, b: F, c: P, d: P }) });
    expect(v.newlyFailing[0]).toEqual({ checkId: 'b', name: 'Check b', outcome: 'fail', baseOutcome: 'pass', message: 'b was fail', remediation: 'Fix b.', blocking: true });
    expect(v.reason).toBe('This pull request breaks 1 check on Track basics that passes on the default branch: "Check b" (fail: b was fail) — fix: Fix b..');
  });

  it('strict reports levels and the blocking checks', () => {
    const v = gateTrack({ track: { ...baseTrack, gate: strictSilver }, definitions, base: evaluation({ a: P, b: P, c: P, d: P }), head: evaluation({ a: P, b: P, c: F, d: F }) });
    expect([v.baseLevel, v.headLevel, v.requiredLevel]).toEqual(['gold', 'bronze', 'silver']);
    expect(v.newlyFailing.map((c) => [c.checkId, c.blocking])).toEqual([['c', true], ['d', false]]);
    expect(v.reason).toMatch(/^Track basics requires Silver, but with this pull request component:default\/svc is at Bronze\. Fix "Check c"/);
  });

  it('mode override turns a ratchet gate strict', () => {
    const v = gateTrack({ track: { ...baseTrack, gate: ratchetBronze }, mode: 'strict', definitions, base: evaluation({ a: F, b: P, c: P, d: P }), head: evaluation({ a: F, b: P, c: P, d: P }) });
    expect([v.mode, v.passed]).toEqual(['strict', false]);
  });

  it('passes when the track does not apply to the entity', () => {
    const v = gateTrack({ track: { ...baseTrack, gate: strictSilver }, definitions, base: evaluation({}, false), head: evaluation({}, false) });
    expect(v.passed).toBe(true);
    expect(v.reason).toMatch(/does not apply/);
  });
});
