import { describe, expect, it } from 'vitest';
import { loadDefinitions } from './load-definitions.js';
import { previewDefinitions } from './preview.js';
import { check, fact, FACT_SCHEMAS, input, track } from './test/fixtures.js';

const NOW = new Date('2025-06-01T00:00:00Z');
const load = (coverageBar: number) =>
  loadDefinitions({
    factSchemas: FACT_SCHEMAS,
    checks: [
      check('not-archived'),
      check('coverage', { facts: ['ci-report.coverage'], rule: { '>=': [{ var: 'ci-report.coverage.lines' }, coverageBar] } }),
    ],
    tracks: [track('basics', [['bronze', ['not-archived']], ['silver', ['coverage']]])],
  }).definitions;

const repo = fact('github.repository', { archived: false });
const entities = [
  input('high', [repo, fact('ci-report.coverage', { lines: 95 })]),
  input('mid', [repo, fact('ci-report.coverage', { lines: 75 })]),
  input('low', [repo, fact('ci-report.coverage', { lines: 40 })]),
  input('archived', [fact('github.repository', { archived: true }), fact('ci-report.coverage', { lines: 75 })]),
];

describe('previewDefinitions', () => {
  it('shows exactly the entities whose level drops when a bar is raised', () => {
    const result = previewDefinitions({ before: load(70), after: load(80), entities, exemptions: [], now: NOW });
    expect(result.entities).toEqual([
      {
        ref: 'component:default/mid',
        outcomeChanges: [{ checkId: 'coverage', before: 'pass', after: 'fail' }],
        levelChanges: [{ trackId: 'basics', before: 'silver', after: 'bronze', direction: 'down' }],
      },
      // archived's coverage outcome changes but its level (none) does not.
      { ref: 'component:default/archived', outcomeChanges: [{ checkId: 'coverage', before: 'pass', after: 'fail' }], levelChanges: [] },
    ]);
    const silver = result.summary[0].levels.find((l) => l.levelId === 'silver')!;
    expect(silver).toEqual({ levelId: 'silver', before: 2, after: 1, dropped: ['component:default/mid'], gained: [] });
    expect(result.summary[0].lines).toEqual(['1 entity drops from silver (2 → 1)']);
  });

  it('shows gains when a bar is lowered, and nothing when nothing changes', () => {
    const lowered = previewDefinitions({ before: load(80), after: load(30), entities, exemptions: [], now: NOW });
    expect(lowered.summary[0].lines).toEqual(['2 entities reach silver (1 → 3)']);
    const same = previewDefinitions({ before: load(80), after: load(80), entities, exemptions: [], now: NOW });
    expect(same.entities).toEqual([]);
    expect(same.summary[0].lines).toEqual([]);
  });

  it('respects exemptions in both versions', () => {
    const exemptions = [{ entityRef: 'component:default/mid', checkId: 'coverage', reason: 'r', author: 'a', expiresAt: '2026-01-01T00:00:00Z' }];
    const result = previewDefinitions({ before: load(70), after: load(80), entities, exemptions, now: NOW });
    const mid = result.entities.find((e) => e.ref === 'component:default/mid')!;
    expect(mid.outcomeChanges).toEqual([{ checkId: 'coverage', before: 'pass', after: 'exempt' }]);
    expect(mid.levelChanges).toEqual([]);
    expect(result.summary[0].lines).toEqual([]);
  });
});
