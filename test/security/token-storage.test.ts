/**
 * API tokens are stored only as SHA-256 digests and compared in constant time.
 * (Generation and tokenMatches itself: server/src/auth/tokens.test.ts.)
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenHash } from '../../server/src/auth/index.js';
import { openTestApp, type TestApp } from '../../server/src/routes/test-app.js';

const root = resolve(import.meta.dirname, '..', '..');
let t: TestApp;
beforeAll(async () => {
  t = (await openTestApp())!;
});
afterAll(() => t?.close());

describe('token storage', () => {
  it('no stored row holds a token or its secret part, only its digest', async () => {
    const rows = (await sql<{ row: string }>`select row_to_json(a)::text as row from api_tokens a`.execute(t.runtime.store.db)).rows.map((r) => r.row);
    expect(rows).toHaveLength(4);
    for (const token of Object.values(t.tokens)) {
      const secret = token.slice(16);
      expect(rows.some((r) => r.includes(secret))).toBe(false);
      expect(rows.some((r) => r.includes(tokenHash(token)))).toBe(true);
    }
    // Nor does the audit log of their creation.
    const audit = (await sql<{ row: string }>`select row_to_json(a)::text as row from audit_log a`.execute(t.runtime.store.db)).rows.map((r) => r.row).join('\n');
    for (const token of Object.values(t.tokens)) expect(audit).not.toContain(token.slice(16));
  });

  it('a token differing only in its last character is refused', async () => {
    const token = t.tokens.admin;
    const forged = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    const res = await t.app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${forged}` } });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('YS_ERR_AUTH_INVALID');
  });

  it('the comparison is constant-time: digests compared with timingSafeEqual, never with ===', async () => {
    const tokens = await readFile(resolve(root, 'server/src/auth/tokens.ts'), 'utf8');
    const hook = await readFile(resolve(root, 'server/src/auth/auth-hook.ts'), 'utf8');
    expect(tokens).toMatch(/timingSafeEqual\(presented, stored\)/);
    expect(hook).toMatch(/tokenMatches\(token, row\.hash\)/);
    expect(hook).not.toMatch(/\.hash\s*[!=]==?|[!=]==?\s*\w*\.hash/);
  });
});
