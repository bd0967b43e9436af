import { describe, expect, it } from 'vitest';
import { assertAccess } from './auth-hook.js';
import type { Principal } from './principal.js';
import { generateToken, tokenHash, tokenId, tokenMatches } from './tokens.js';

describe('tokens', () => {
  it('are ys_-prefixed, carry their id, and are stored only as a SHA-256 digest', () => {
    const { id, token, hash } = generateToken();
    expect(token).toMatch(/^ys_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    expect(tokenId(token)).toBe(id);
    expect(hash).toBe(tokenHash(token));
    expect(hash).not.toContain(token.slice(16));
    expect(tokenMatches(token, hash)).toBe(true);
    expect(tokenMatches(`${token.slice(0, -1)}x`, hash)).toBe(false);
    expect(tokenMatches(token, 'abcd')).toBe(false);
  });

  it.each(['', 'ys_', 'ys_XYZ_abc', 'gh_0123456789ab_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'])('has no id in %j', (s) => {
    expect(tokenId(s)).toBeUndefined();
  });
});

describe('assertAccess', () => {
  const token = (scope: 'read' | 'ci' | 'admin'): Principal => ({ kind: 'token', id: 'x', name: 'n', scope, repos: [] });
  const anon: Principal = { kind: 'anonymous' };
  it.each([
    ['public', anon, false, null],
    ['read', anon, false, 'YS_ERR_AUTH_REQUIRED'],
    ['read', anon, true, null],
    ['ci', anon, true, 'YS_ERR_AUTH_REQUIRED'],
    ['read', token('read'), false, null],
    ['ci', token('read'), false, 'YS_ERR_FORBIDDEN'],
    ['ci', token('ci'), false, null],
    ['admin', token('ci'), false, 'YS_ERR_FORBIDDEN'],
    ['admin', token('admin'), false, null],
  ] as const)('%s as %o (public reads %s) → %s', (access, principal, publicReads, code) => {
    const run = () => assertAccess(principal, access, publicReads);
    if (code) expect(run).toThrow(expect.objectContaining({ code }));
    else expect(run).not.toThrow();
  });
});
