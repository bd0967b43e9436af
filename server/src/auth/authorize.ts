import type { FastifyRequest } from 'fastify';
import { errors } from '../errors.js';
import type { Store } from '../store/index.js';
import type { Principal } from './principal.js';

/** What a ci token wants to act on: entity refs (their `github.com/project-slug` decides) or repository slugs. */
export interface RepoTarget {
  entityRefs?: readonly string[];
  slugs?: readonly string[];
}

/**
 * Whether the principal may act for these entities / repositories. `admin` may act for all; a
 * `ci` token only for entities whose `github.com/project-slug` is one of its repositories (an
 * entity with no slug, or unknown, is refused); `read` and anonymous callers never.
 */
export async function repoAccessProblem(store: Store, principal: Principal, target: RepoTarget): Promise<string | undefined> {
  if (principal.kind === 'anonymous') return 'a ci or admin token is needed';
  if (principal.scope === 'admin') return undefined;
  if (principal.scope !== 'ci') return `"${principal.name}" is a ${principal.scope} token; a ci or admin token is needed`;
  const allowed = new Set(principal.repos);
  for (const slug of target.slugs ?? []) {
    if (!allowed.has(slug.toLowerCase())) return `token "${principal.name}" may not act for repository ${slug}`;
  }
  const refs = [...new Set(target.entityRefs ?? [])];
  if (refs.length > 0) {
    const found = new Map((await store.entities.list({ refs })).map((e) => [e.ref, e.entity.metadata.annotations?.['github.com/project-slug']]));
    for (const ref of refs) {
      const slug = found.get(ref);
      if (!slug || !allowed.has(slug.toLowerCase())) return `token "${principal.name}" may not act for ${ref}`;
    }
  }
  return undefined;
}

/**
 * Throw YS_ERR_FORBIDDEN (or YS_ERR_AUTH_REQUIRED without a token) unless the caller may act for
 * these entities or repositories. For routes (the gate, facts, refresh) that take `access: 'ci'`.
 *
 * @example
 * ```ts
 * app.post('/gate', { config: { access: 'ci' } }, async (request) => {
 *   await authorizeRepoAccess(request, { slugs: [request.body.repo] });
 *   …
 * });
 * ```
 */
export async function authorizeRepoAccess(request: FastifyRequest, target: RepoTarget | readonly string[]): Promise<void> {
  const t: RepoTarget = Array.isArray(target) ? { entityRefs: target as readonly string[] } : (target as RepoTarget);
  const principal = request.principal ?? { kind: 'anonymous' };
  if (principal.kind === 'anonymous') throw new errors.YS_ERR_AUTH_REQUIRED('a ci or admin token is needed');
  const problem = await repoAccessProblem(request.server.runtime.store, principal, t);
  if (problem) throw new errors.YS_ERR_FORBIDDEN(problem);
}
