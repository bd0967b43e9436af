/**
 * Who is signed in (`GET /me`) and what the dashboard may offer them. The server still decides
 * every write; these rules only hide buttons a token could not use, and mirror the server's:
 * refresh needs an admin token or a ci token listing the entity's repository; exemptions need admin.
 */
import { createContext, useContext, type ReactNode } from 'react';
import type { Me } from './types.js';
import { useApi, type ApiState } from './use-api.js';

export type MeState = ApiState<Me> & { reload: () => void };

const MeContext = createContext<MeState | null>(null);

/** Fetches `/me` once for the whole app (and again when the token changes). */
export function MeProvider({ children }: { children: ReactNode }) {
  const state = useApi<Me>('/me');
  return <MeContext.Provider value={state}>{children}</MeContext.Provider>;
}

/** For tests and stories: a fixed caller. */
export function StaticMe({ me, children }: { me: Me | null; children: ReactNode }) {
  const value: MeState = me ? { status: 'ok', data: me, reload: () => {} } : { status: 'loading', reload: () => {} };
  return <MeContext.Provider value={value}>{children}</MeContext.Provider>;
}

/** The caller's full state (loading, error, ok). */
export function useMeState(): MeState {
  return useContext(MeContext) ?? { status: 'loading', reload: () => {} };
}

/** The caller once known; null while loading or when `/me` failed (e.g. a rejected token). */
export function useMe(): Me | null {
  const state = useMeState();
  return state.status === 'ok' ? state.data : null;
}

/** Whether `me` may `POST …/refresh` an entity whose `github.com/project-slug` is `githubSlug`. */
export function canRefresh(me: Me | null, githubSlug: string | null | undefined): boolean {
  if (!me || me.kind !== 'token') return false;
  if (me.scope === 'admin') return true;
  if (me.scope !== 'ci' || !githubSlug) return false;
  const slug = githubSlug.toLowerCase();
  return me.repos.some((r) => r.toLowerCase() === slug);
}

/** Whether `me` may grant and revoke exemptions. */
export function canManageExemptions(me: Me | null): boolean {
  return me?.kind === 'token' && me.scope === 'admin';
}

/** "ci-bot (ci)" or "public read-only". */
export function describeMe(me: Me): string {
  if (me.kind === 'token') return `${me.name ?? 'token'} (${me.scope ?? 'no scope'})`;
  return me.publicReads ? 'public read-only' : 'not signed in';
}
