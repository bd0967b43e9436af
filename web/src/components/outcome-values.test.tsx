// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { OutcomeBadge } from './outcome-badge.js';
import { formatValue, OutcomeValues } from './outcome-values.js';

afterEach(cleanup);

describe('formatValue', () => {
  it.each([
    [null, 'missing', true],
    [undefined, 'missing', true],
    [false, 'false', false],
    [0, '0', false],
    [72.5, '72.5', false],
    ['main', '"main"', false],
    [[], '[] (empty)', false],
    [['ci', 'lint'], '["ci","lint"]', false],
    [{ enabled: true }, '{"enabled":true}', false],
    ['x'.repeat(300), `"${'x'.repeat(118)}…`, false],
  ])('%j → %s', (value, text, missing) => {
    expect(formatValue(value)).toEqual({ text, missing });
  });
});

describe('OutcomeValues', () => {
  it('lists every path the rule read with its value, and says when a path was missing', () => {
    render(<OutcomeValues values={{ 'ci.coverage.line': 54.2, 'github.branch-protection.enabled': false, 'github.files.readme': null }} />);
    const rows = screen.getAllByRole('term').map((dt) => `${dt.textContent} = ${dt.nextElementSibling?.textContent}`);
    expect(rows).toEqual(['ci.coverage.line = 54.2', 'github.branch-protection.enabled = false', 'github.files.readme = missing']);
  });

  it('says so when nothing was read', () => {
    render(<OutcomeValues values={{}} />);
    expect(screen.getByText('No fact values were read.')).toBeTruthy();
  });
});

describe('OutcomeBadge', () => {
  it.each([
    ['pass', '✓Pass'],
    ['fail', '✗Fail'],
    ['unknown', '?Unknown'],
    ['exempt', '⛨Exempt'],
    ['not-applicable', '–Not applicable'],
  ] as const)('%s carries an icon and a word', (outcome, text) => {
    const { container } = render(<OutcomeBadge outcome={outcome} />);
    expect(container.textContent).toBe(text);
  });
});
