import type { TokenScope } from '../store/index.js';

/**
 * Who is calling: a token holder, or nobody (public reads).
 *
 * @example
 * `{ kind: 'token', id: '3f9a1c0e2b7d', name: 'payments-ci', scope: 'ci', repos: ['larkspur/payments-api'] }`
 */
export type Principal =
  | { kind: 'token'; id: string; name: string; scope: TokenScope; repos: readonly string[] }
  | { kind: 'anonymous' };

/**
 * What a route needs. `public`: anyone, no token looked at (health, docs). `read`: a token of any
 * scope, or nobody when public reads are on. `ci`: a ci or admin token (repository limits are
 * checked by the route with `authorizeRepoAccess`). `admin`: an admin token.
 */
export type Access = 'public' | 'read' | 'ci' | 'admin';

export const SCOPES: readonly TokenScope[] = ['read', 'ci', 'admin'];

const RANK: Record<TokenScope, number> = { read: 0, ci: 1, admin: 2 };

/** Whether a token scope includes what `needed` allows. */
export function scopeAllows(scope: TokenScope, needed: TokenScope): boolean {
  return RANK[scope] >= RANK[needed];
}

/** Name used as author and in the audit log: `token:<name>` or `anonymous`. */
export function actorOf(principal: Principal): string {
  return principal.kind === 'token' ? principal.name : 'anonymous';
}
