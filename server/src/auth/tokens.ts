/**
 * API tokens: `ys_<id>_<secret>`. The id (12 hex) finds the row; the secret never leaves the
 * token — the store keeps only the SHA-256 digest of the whole token, compared in constant time.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const TOKEN_PREFIX = 'ys_';
const TOKEN_RE = /^ys_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

/** SHA-256 of a token, hex — what `api_tokens.hash` holds. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** A fresh token (shown once), its id and the digest to store. */
export function generateToken(): { id: string; token: string; hash: string } {
  const id = randomBytes(6).toString('hex');
  const token = `${TOKEN_PREFIX}${id}_${randomBytes(32).toString('base64url')}`;
  return { id, token, hash: tokenHash(token) };
}

/** The id inside a well-formed token, or undefined. */
export function tokenId(token: string): string | undefined {
  return TOKEN_RE.exec(token)?.[1];
}

/** Constant-time comparison of a presented token with a stored digest. */
export function tokenMatches(token: string, storedHash: string): boolean {
  const presented = Buffer.from(tokenHash(token), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}
