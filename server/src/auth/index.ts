export { installAuth, assertAccess, resolvePrincipal } from './auth-hook.js';
export { authorizeRepoAccess, repoAccessProblem, type RepoTarget } from './authorize.js';
export { actorOf, scopeAllows, SCOPES, type Access, type Principal } from './principal.js';
export { generateToken, tokenHash, tokenId, tokenMatches, TOKEN_PREFIX } from './tokens.js';
