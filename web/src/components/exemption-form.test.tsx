// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ExemptionItem } from '../api/types.js';
import { RevokeControl } from '../pages/exemptions-page.js';
import { expiryBounds, expiryInstant, GrantExemptionForm, validateExemption } from './exemption-form.js';

const NOW = Date.parse('2025-03-10T15:30:00Z');
const now = () => NOW;

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function stubFetch(status: number, body: unknown) {
  const fn = vi.fn(async () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }));
  vi.stubGlobal('fetch', fn);
  return fn;
}

const created: ExemptionItem = {
  id: 'ex1', entityRef: 'component:default/payments-api', checkId: 'has-docs', reason: 'Retiring in Q2', author: 'ops-admin',
  expiresAt: '2025-04-01T00:00:00.000Z', createdAt: '2025-03-10T15:30:00.000Z', revokedAt: null, revokedBy: null, status: 'active',
};

describe('validateExemption', () => {
  it('accepts tomorrow up to a year from today (UTC days)', () => {
    expect(expiryBounds(NOW)).toEqual({ min: '2025-03-11', max: '2026-03-10' });
    expect(validateExemption({ reason: 'Retiring in Q2', expires: '2025-03-11' }, NOW)).toEqual({});
    expect(validateExemption({ reason: 'Retiring in Q2', expires: '2026-03-10' }, NOW)).toEqual({});
  });

  it.each([
    ['no reason', { reason: '   ', expires: '2025-04-01' }, { reason: 'Give a reason: why this check does not apply yet.' }],
    ['a too short reason', { reason: 'no', expires: '2025-04-01' }, { reason: 'The reason needs at least 3 characters.' }],
    ['a too long reason', { reason: 'x'.repeat(2001), expires: '2025-04-01' }, { reason: 'The reason may have at most 2000 characters (it has 2001).' }],
    ['no date', { reason: 'Retiring', expires: '' }, { expires: 'Choose the date the exemption ends.' }],
    ['a malformed date', { reason: 'Retiring', expires: '01/04/2025' }, { expires: 'Enter the date as YYYY-MM-DD.' }],
    ['today', { reason: 'Retiring', expires: '2025-03-10' }, { expires: 'The expiry must be in the future: 2025-03-11 or later.' }],
    ['a past date', { reason: 'Retiring', expires: '2024-12-31' }, { expires: 'The expiry must be in the future: 2025-03-11 or later.' }],
    ['more than a year away', { reason: 'Retiring', expires: '2026-03-11' }, { expires: 'An exemption may run at most a year: 2026-03-10 or earlier.' }],
  ])('rejects %s', (_what, draft, problems) => {
    expect(validateExemption(draft, NOW)).toEqual(problems);
  });

  it('sends the start of the chosen day, which the server accepts (future, ≤ 365 days)', () => {
    const { min, max } = expiryBounds(NOW);
    expect(Date.parse(expiryInstant(min))).toBeGreaterThan(NOW);
    expect(Date.parse(expiryInstant(max))).toBeLessThanOrEqual(NOW + 365 * 86_400_000);
  });
});

describe('GrantExemptionForm', () => {
  const renderForm = (onGranted = vi.fn()) => {
    render(<GrantExemptionForm entityRef="component:default/payments-api" checkId="has-docs" checkName="Has documentation" onGranted={onGranted} now={now} />);
    return onGranted;
  };

  it('labels its fields and states the allowed dates', () => {
    renderForm();
    const date = screen.getByLabelText('Expires on') as HTMLInputElement;
    expect(date.type).toBe('date');
    expect([date.min, date.max]).toEqual(['2025-03-11', '2026-03-10']);
    expect(date.getAttribute('aria-describedby')).toContain('expires-hint');
    expect(screen.getByText(/Between 2025-03-11 and 2026-03-10/)).toBeTruthy();
  });

  it('announces every problem, marks the fields invalid, focuses the first and sends nothing', () => {
    const fetchMock = stubFetch(201, created);
    renderForm();
    fireEvent.click(screen.getByRole('button', { name: 'Grant exemption' }));
    const alerts = screen.getAllByRole('alert').map((a) => a.textContent);
    expect(alerts).toEqual(['⚠ Give a reason: why this check does not apply yet.', '⚠ Choose the date the exemption ends.']);
    const reason = screen.getByLabelText('Reason');
    expect(reason.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByLabelText('Expires on').getAttribute('aria-invalid')).toBe('true');
    // The error is part of the field's description, so it is read with the field.
    const describedBy = reason.getAttribute('aria-describedby')!.split(' ');
    expect(describedBy.map((id) => document.getElementById(id)?.textContent)).toContain('⚠ Give a reason: why this check does not apply yet.');
    expect(document.activeElement).toBe(reason);
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('rejects a date more than a year away and focuses the date', () => {
    renderForm();
    fireEvent.change(screen.getByLabelText('Reason'), { target: { value: 'Retiring in Q2' } });
    fireEvent.change(screen.getByLabelText('Expires on'), { target: { value: '2027-01-01' } });
    fireEvent.click(screen.getByRole('button', { name: 'Grant exemption' }));
    expect(screen.getByRole('alert').textContent).toBe('⚠ An exemption may run at most a year: 2026-03-10 or earlier.');
    expect(screen.getByLabelText('Reason').getAttribute('aria-invalid')).toBeNull();
    expect(document.activeElement).toBe(screen.getByLabelText('Expires on'));
  });

  it('posts the exemption and hands back what the server created', async () => {
    const fetchMock = stubFetch(201, created);
    const onGranted = renderForm();
    fireEvent.change(screen.getByLabelText('Reason'), { target: { value: '  Retiring in Q2  ' } });
    fireEvent.change(screen.getByLabelText('Expires on'), { target: { value: '2025-04-01' } });
    fireEvent.click(screen.getByRole('button', { name: 'Grant exemption' }));
    await waitFor(() => expect(onGranted).toHaveBeenCalledWith(created));
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/v1/exemptions');
    expect(init.method).toBe('POST');
    expect(JSON.parse(String(init.body))).toEqual({
      entityRef: 'component:default/payments-api', checkId: 'has-docs', reason: 'Retiring in Q2', expiresAt: '2025-04-01T00:00:00.000Z',
    });
  });

  it('shows the server’s refusal as an alert naming the call', async () => {
    stubFetch(403, { error: { code: 'YS_ERR_FORBIDDEN', message: '"ci-bot" is a ci token; an admin token is needed' } });
    const onGranted = renderForm();
    fireEvent.change(screen.getByLabelText('Reason'), { target: { value: 'Retiring in Q2' } });
    fireEvent.change(screen.getByLabelText('Expires on'), { target: { value: '2025-04-01' } });
    fireEvent.click(screen.getByRole('button', { name: 'Grant exemption' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The exemption was not granted.');
    expect(alert.textContent).toContain('POST /exemptions → HTTP 403 (YS_ERR_FORBIDDEN): "ci-bot" is a ci token; an admin token is needed');
    expect(onGranted).not.toHaveBeenCalled();
    expect((screen.getByRole('button', { name: 'Grant exemption' }) as HTMLButtonElement).disabled).toBe(false);
  });
});

describe('RevokeControl', () => {
  it('asks for confirmation first; Cancel sends nothing', async () => {
    const fetchMock = stubFetch(200, { ...created, status: 'revoked' });
    const onRevoked = vi.fn();
    render(<RevokeControl exemption={created} onRevoked={onRevoked} />);
    fireEvent.click(screen.getByRole('button', { name: 'Revoke the exemption of payments-api from has-docs' }));
    const group = screen.getByRole('group', { name: 'Confirm revoking the exemption of payments-api from has-docs' });
    expect(group.textContent).toContain('Revoke the exemption of payments-api from has-docs?');
    expect(document.activeElement).toBe(within(group).getByRole('button', { name: 'Yes, revoke' }));
    fireEvent.click(within(group).getByRole('button', { name: 'Cancel' }));
    await screen.findByRole('button', { name: /^Revoke/ });
    expect(fetchMock).not.toHaveBeenCalled();
    expect(onRevoked).not.toHaveBeenCalled();
  });

  it('revokes with DELETE after confirmation', async () => {
    const fetchMock = stubFetch(200, { ...created, status: 'revoked' });
    const onRevoked = vi.fn();
    render(<RevokeControl exemption={created} onRevoked={onRevoked} />);
    fireEvent.click(screen.getByRole('button', { name: /^Revoke/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Yes, revoke' }));
    await waitFor(() => expect(onRevoked).toHaveBeenCalledOnce());
    expect(fetchMock.mock.calls[0]).toEqual(['/api/v1/exemptions/ex1', expect.objectContaining({ method: 'DELETE' })]);
  });

  it('announces a failed revoke and keeps the choice open', async () => {
    stubFetch(404, { error: { code: 'YS_ERR_EXEMPTION_NOT_FOUND', message: 'No exemption ex1' } });
    const onRevoked = vi.fn();
    render(<RevokeControl exemption={created} onRevoked={onRevoked} />);
    fireEvent.click(screen.getByRole('button', { name: /^Revoke/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Yes, revoke' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The exemption was not revoked.');
    expect(alert.textContent).toContain('DELETE /exemptions/ex1 → HTTP 404 (YS_ERR_EXEMPTION_NOT_FOUND): No exemption ex1');
    expect(screen.getByRole('button', { name: 'Yes, revoke' })).toBeTruthy();
    expect(onRevoked).not.toHaveBeenCalled();
  });
});
