/**
 * Bearer-token authentication and scope enforcement for every `/api/` route. Routes state what
 * they need in `config.access`; a route that says nothing needs `admin` (deny by default).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { errors } from '../errors.js';
import type { Store } from '../store/index.js';
import { type Access, type Principal, scopeAllows } from './principal.js';
import { tokenId, tokenMatches } from './tokens.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** What the caller needs; absent on an `/api/` route means `admin`. */
    access?: Access;
  }
  interface FastifyRequest {
    principal: Principal;
  }
}

const ANONYMOUS: Principal = Object.freeze({ kind: 'anonymous' });

/** Resolve the bearer token of a request; throws YS_ERR_AUTH_INVALID for a malformed, unknown or revoked token. */
export async function resolvePrincipal(store: Store, header: string | undefined): Promise<Principal> {
  if (header === undefined || header === '') return ANONYMOUS;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw new errors.YS_ERR_AUTH_INVALID();
  const token = match[1];
  const id = tokenId(token);
  if (!id) throw new errors.YS_ERR_AUTH_INVALID();
  const row = await store.tokens.forAuth(id);
  if (!row || row.revokedAt || !tokenMatches(token, row.hash)) throw new errors.YS_ERR_AUTH_INVALID();
  // Recording the use must never fail or slow the request.
  store.tokens.touch(row.id).catch(() => {});
  return { kind: 'token', id: row.id, name: row.name, scope: row.scope, repos: row.repos.map((r) => r.toLowerCase()) };
}

/** Throw unless the principal may do what `access` asks (401 without a usable token, 403 with too weak a one). */
export function assertAccess(principal: Principal, access: Access, publicReads: boolean): void {
  if (access === 'public') return;
  if (principal.kind === 'anonymous') {
    if (access === 'read' && publicReads) return;
    throw new errors.YS_ERR_AUTH_REQUIRED(`send "Authorization: Bearer <token>" (a ${access === 'read' ? 'read, ci or admin' : access === 'ci' ? 'ci or admin' : 'admin'} token)`);
  }
  if (!scopeAllows(principal.scope, access)) throw new errors.YS_ERR_FORBIDDEN(`this endpoint needs a ${access} token; "${principal.name}" is a ${principal.scope} token`);
}

function isApiRequest(request: FastifyRequest): boolean {
  return request.url.startsWith('/api/');
}

/** Install the hook on the root instance: every `/api/` request gets a principal and an access check. */
export function installAuth(app: FastifyInstance, options: { store: Store; publicReads: boolean }): void {
  app.decorateRequest('principal', null as never);
  app.addHook('onRequest', async (request) => {
    request.principal = ANONYMOUS;
    // Unknown routes answer 404 (or the dashboard) the same to everyone; non-API paths are static files and docs.
    if (request.is404 || !isApiRequest(request)) return;
    const access = request.routeOptions.config.access ?? 'admin';
    if (access === 'public') return;
    request.principal = await resolvePrincipal(options.store, request.headers.authorization);
    assertAccess(request.principal, access, options.publicReads);
  });
}
