// @vitest-environment jsdom
import { cleanup, render, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { afterEach, describe, expect, it } from 'vitest';
import { LevelLadder, ladderRungs } from './level-ladder.js';

const levels = [
  { id: 'bronze', name: 'Bronze' },
  { id: 'silver', name: 'Silver' },
  { id: 'gold', name: 'Gold' },
];

afterEach(cleanup);

describe('ladderRungs', () => {
  it.each([
    [null, ['next', 'locked', 'locked']],
    ['bronze', ['reached', 'next', 'locked']],
    ['silver', ['reached', 'reached', 'next']],
    ['gold', ['reached', 'reached', 'reached']],
    ['retired-level', ['next', 'locked', 'locked']],
  ])('reached %s → %j', (reached, statuses) => {
    expect(ladderRungs(levels, reached).map((r) => r.status)).toEqual(statuses);
  });
});

describe('LevelLadder', () => {
  it('says in words which levels are reached, which is next and what it is missing', () => {
    const names: Record<string, string> = { 'has-docs': 'Has documentation', 'coverage-80': 'Line coverage ≥ 80%' };
    render(
      <MemoryRouter>
        <LevelLadder trackName="Basics" levels={levels} reached="silver" missing={['has-docs', 'coverage-80']} checkName={(id) => names[id]} />
      </MemoryRouter>,
    );
    const list = screen.getByRole('list', { name: 'Basics levels' });
    const rungs = within(list).getAllByRole('listitem');
    expect(rungs.map((r) => r.textContent)).toEqual([
      '✓ ReachedBronze',
      '✓ ReachedSilver',
      '→ NextGoldmissing 2 checks: Has documentation, Line coverage ≥ 80%',
    ]);
    expect(screen.getByRole('link', { name: 'Has documentation' }).getAttribute('href')).toBe('/checks/has-docs');
  });

  it('shows nothing missing when the next level has no failing checks', () => {
    render(
      <MemoryRouter>
        <LevelLadder trackName="Security" levels={levels} reached={null} missing={[]} />
      </MemoryRouter>,
    );
    expect(screen.getByText('nothing missing')).toBeTruthy();
    expect(screen.getAllByText('Not yet')).toHaveLength(2);
  });
});
