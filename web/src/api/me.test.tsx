// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TokenControl } from '../components/layout.js';
import { CheckRow, RefreshButton } from '../pages/entity-page.js';
import { getToken, setToken } from './client.js';
import { canManageExemptions, canRefresh, describeMe, MeProvider, StaticMe } from './me.js';
import type { Me, ScorecardCheck } from './types.js';

const me = (over: Partial<Me>): Me => ({ kind: 'token', name: 'bot', scope: 'read', repos: [], publicReads: true, ...over });
const anonymous: Me = { kind: 'anonymous', name: null, scope: null, repos: [], publicReads: true };

afterEach(() => {
  cleanup();
  setToken(null);
  vi.unstubAllGlobals();
});

describe('canRefresh', () => {
  it.each([
    ['nobody known yet', null, 'acme/payments', false],
    ['anonymous', anonymous, 'acme/payments', false],
    ['read token', me({ scope: 'read', repos: ['acme/payments'] }), 'acme/payments', false],
    ['ci token for the repository', me({ scope: 'ci', repos: ['acme/other', 'acme/payments'] }), 'acme/payments', true],
    ['ci token, slug in another case', me({ scope: 'ci', repos: ['Acme/Payments'] }), 'acme/payments', true],
    ['ci token for other repositories', me({ scope: 'ci', repos: ['acme/other'] }), 'acme/payments', false],
    ['ci token, entity without a slug', me({ scope: 'ci', repos: ['acme/payments'] }), null, false],
    ['admin token', me({ scope: 'admin' }), 'acme/payments', true],
    ['admin token, entity without a slug', me({ scope: 'admin' }), null, true],
  ])('%s → %s', (_what, caller, slug, allowed) => {
    expect(canRefresh(caller, slug)).toBe(allowed);
  });
});

describe('canManageExemptions / describeMe', () => {
  it('only admin tokens manage exemptions', () => {
    expect([null, anonymous, me({ scope: 'read' }), me({ scope: 'ci' }), me({ scope: 'admin' })].map(canManageExemptions)).toEqual([false, false, false, false, true]);
  });
  it('names the token and scope, or says reads are public', () => {
    expect(describeMe(me({ name: 'deploy-bot', scope: 'ci' }))).toBe('deploy-bot (ci)');
    expect(describeMe(anonymous)).toBe('public read-only');
    expect(describeMe({ ...anonymous, publicReads: false })).toBe('not signed in');
  });
});

describe('RefreshButton', () => {
  const renderAs = (caller: Me | null, slug: string | null) =>
    render(
      <StaticMe me={caller}>
        <RefreshButton base="/entities/component/default/payments-api" githubSlug={slug} onDone={() => {}} />
      </StaticMe>,
    );

  it('is offered to a ci token for the entity’s repository and to admins', () => {
    renderAs(me({ scope: 'ci', repos: ['acme/payments'] }), 'acme/payments');
    expect(screen.getByRole('button', { name: 'Refresh now' })).toBeTruthy();
    cleanup();
    renderAs(me({ scope: 'admin' }), null);
    expect(screen.getByRole('button', { name: 'Refresh now' })).toBeTruthy();
  });

  it('is hidden from read tokens, ci tokens for other repositories and anonymous readers', () => {
    for (const caller of [me({ scope: 'read' }), me({ scope: 'ci', repos: ['acme/other'] }), anonymous, null]) {
      renderAs(caller, 'acme/payments');
      expect(screen.queryByRole('button', { name: 'Refresh now' })).toBeNull();
      cleanup();
    }
  });

  it('posts the refresh and says when it is done', async () => {
    const fetchMock = vi.fn(async () => new Response('{"entityRef":"component:default/payments-api","levels":[]}', { status: 200 }));
    vi.stubGlobal('fetch', fetchMock);
    const done = vi.fn();
    render(
      <StaticMe me={me({ scope: 'admin' })}>
        <RefreshButton base="/entities/component/default/payments-api" githubSlug={null} onDone={done} />
      </StaticMe>,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Refresh now' }));
    await waitFor(() => expect(done).toHaveBeenCalledOnce());
    expect(fetchMock.mock.calls[0]).toEqual(['/api/v1/entities/component/default/payments-api/refresh', expect.objectContaining({ method: 'POST' })]);
    expect(screen.getByRole('status').textContent).toContain('Refreshed.');
  });
});

describe('Grant exemption on a check row', () => {
  const check = (outcome: ScorecardCheck['outcome']): ScorecardCheck => ({
    checkId: 'has-docs', name: 'Has documentation', description: '', outcome, message: 'No docs', values: {}, remediation: 'Write docs',
    effort: 'low', docsUrl: null, exemption: null, changedAt: null,
  });
  const renderRow = (caller: Me, outcome: ScorecardCheck['outcome']) =>
    render(
      <MemoryRouter>
        <StaticMe me={caller}>
          <ul>
            <CheckRow check={check(outcome)} entityRef="component:default/payments-api" />
          </ul>
        </StaticMe>
      </MemoryRouter>,
    );

  it('is offered to admins on checks that do not pass, and opens a labelled form', () => {
    renderRow(me({ scope: 'admin' }), 'fail');
    const toggle = screen.getByRole('button', { name: 'Grant exemption from Has documentation' });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    expect(screen.getByRole('form', { name: 'Grant an exemption from Has documentation' })).toBeTruthy();
    expect(screen.getByLabelText('Reason')).toBeTruthy();
    expect(screen.getByLabelText('Expires on')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('form')).toBeNull();
    expect(document.activeElement).toBe(toggle);
  });

  it.each([
    ['a ci token on a failing check', me({ scope: 'ci', repos: ['acme/payments'] }), 'fail'],
    ['an admin on a passing check', me({ scope: 'admin' }), 'pass'],
    ['an admin on a check already exempt', me({ scope: 'admin' }), 'exempt'],
    ['an admin on a check that does not apply', me({ scope: 'admin' }), 'not-applicable'],
  ] as const)('is not offered to %s', (_what, caller, outcome) => {
    renderRow(caller, outcome);
    expect(screen.queryByRole('button', { name: /Grant exemption/ })).toBeNull();
  });
});

describe('TokenControl (header)', () => {
  const reply = (status: number, body: unknown) => vi.fn(async () => new Response(JSON.stringify(body), { status }));

  it('shows the token’s name and scope, and signing out forgets the token', async () => {
    setToken('ys_admin');
    vi.stubGlobal('fetch', reply(200, me({ name: 'ops-admin', scope: 'admin' })));
    render(
      <MeProvider>
        <TokenControl />
      </MeProvider>,
    );
    await screen.findByText('ops-admin (admin)');
    expect(screen.getByRole('status').textContent).toBe('Signed in as ops-admin (admin)');
    fireEvent.click(screen.getByRole('button', { name: 'Sign out' }));
    expect(getToken()).toBeNull();
    await screen.findByRole('button', { name: 'Sign in with an API token' });
  });

  it('says reads are public when no token is set', async () => {
    vi.stubGlobal('fetch', reply(200, anonymous));
    render(
      <MeProvider>
        <TokenControl />
      </MeProvider>,
    );
    await screen.findByText('public read-only');
    expect(screen.queryByRole('button', { name: 'Sign out' })).toBeNull();
  });

  it('says when the stored token is not accepted, and still lets you sign out', async () => {
    setToken('ys_revoked');
    vi.stubGlobal('fetch', reply(401, { error: { code: 'YS_ERR_AUTH_INVALID', message: 'Unknown token' } }));
    render(
      <MeProvider>
        <TokenControl />
      </MeProvider>,
    );
    await screen.findByText('Token not accepted');
    fireEvent.click(screen.getByRole('button', { name: 'Sign out' }));
    expect(getToken()).toBeNull();
  });
});
