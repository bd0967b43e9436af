// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, apiRequest, getToken, onTokenChange, setToken, withQuery } from './client.js';

function reply(status: number, body: string, statusText = ''): typeof fetch {
  return vi.fn(async () => new Response(body, { status, statusText, headers: { 'content-type': 'application/json' } })) as unknown as typeof fetch;
}

afterEach(() => setToken(null));

describe('apiRequest', () => {
  it('returns the parsed body and sends the stored token as a Bearer header', async () => {
    setToken('ys_abc');
    const fetchImpl = reply(200, '{"ok":true}');
    await expect(apiRequest('/teams', { fetchImpl })).resolves.toEqual({ ok: true });
    const [url, init] = (fetchImpl as unknown as ReturnType<typeof vi.fn>).mock.calls[0];
    expect(url).toBe('/api/v1/teams');
    expect((init as RequestInit).headers).toMatchObject({ Authorization: 'Bearer ys_abc' });
  });

  it.each([
    [404, '{"error":{"code":"YS_ERR_API_NOT_FOUND","message":"No team named ghosts"}}', '', 'GET /teams/ghosts failed (HTTP 404, YS_ERR_API_NOT_FOUND): No team named ghosts'],
    [502, '<html>Bad gateway</html>', 'Bad Gateway', 'GET /teams/ghosts failed (HTTP 502): Bad Gateway'],
    [500, '', '', 'GET /teams/ghosts failed (HTTP 500): no error message in the response'],
    [503, 'upstream down', '', 'GET /teams/ghosts failed (HTTP 503): upstream down'],
  ])('names the call, the status and the server message (%i)', async (status, body, statusText, message) => {
    const err = await apiRequest('/teams/ghosts', { fetchImpl: reply(status, body, statusText) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).message).toBe(message);
    expect((err as ApiError).status).toBe(status);
  });

  it('reports a network failure with no status', async () => {
    const fetchImpl = vi.fn(async () => {
      throw new TypeError('Failed to fetch');
    }) as unknown as typeof fetch;
    const err = (await apiRequest('/overview', { method: 'GET', fetchImpl }).catch((e: unknown) => e)) as ApiError;
    expect(err.message).toBe('GET /overview failed (network error): Failed to fetch');
    expect(err.status).toBeNull();
  });

  it('marks 401 as needing a token, and names POST calls', async () => {
    const err = (await apiRequest('/entities/component/default/a/refresh', {
      method: 'POST',
      body: {},
      fetchImpl: reply(401, '{"error":{"code":"YS_ERR_AUTH_REQUIRED","message":"A token is required"}}'),
    }).catch((e: unknown) => e)) as ApiError;
    expect(err.needsToken).toBe(true);
    expect(err.message).toMatch(/^POST \/entities\/component\/default\/a\/refresh failed \(HTTP 401, YS_ERR_AUTH_REQUIRED\)/);
  });

  it('refuses a 200 that is not JSON', async () => {
    const err = (await apiRequest('/overview', { fetchImpl: reply(200, '<!doctype html>') }).catch((e: unknown) => e)) as ApiError;
    expect(err.message).toBe('GET /overview failed (HTTP 200): the response was not JSON');
  });
});

describe('token storage', () => {
  it('keeps the token in localStorage and tells subscribers', () => {
    const seen = vi.fn();
    const off = onTokenChange(seen);
    setToken('  ys_123 ');
    expect(getToken()).toBe('ys_123');
    setToken(null);
    expect(getToken()).toBeNull();
    off();
    setToken('ys_x');
    expect(seen).toHaveBeenCalledTimes(2);
  });
});

describe('withQuery', () => {
  it('drops empty values and encodes the rest', () => {
    expect(withQuery('/entities', { owner: 'payments', q: '', level: undefined, limit: 50, track: 'a b' })).toBe('/entities?owner=payments&limit=50&track=a+b');
    expect(withQuery('/entities', {})).toBe('/entities');
  });
});
