import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, apiRequest, onTokenChange } from './client.js';

export type ApiState<T> =
  | { status: 'loading'; data?: undefined; error?: undefined }
  | { status: 'error'; data?: undefined; error: ApiError }
  | { status: 'ok'; data: T; error?: undefined };

/**
 * GET `path` (null: nothing to fetch yet) and follow it: refetches when the path or the token
 * changes, aborts the call a page no longer needs, and exposes `reload`. A `reload()` of the path
 * already shown keeps its data on screen until the new answer arrives (no flash of "Loading…",
 * and focus stays where it was, e.g. after a form posted a change); a token change does not.
 */
export function useApi<T>(path: string | null): ApiState<T> & { reload: () => void } {
  const [state, setState] = useState<ApiState<T>>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  const shown = useRef<string | null>(null);

  // Another token is another caller: what the old one was shown must not linger while reloading.
  useEffect(
    () =>
      onTokenChange(() => {
        shown.current = null;
        reload();
      }),
    [reload],
  );

  useEffect(() => {
    if (path === null) return;
    const ctrl = new AbortController();
    const keep = shown.current === path;
    setState((s) => (keep && s.status === 'ok' ? s : { status: 'loading' }));
    apiRequest<T>(path, { signal: ctrl.signal }).then(
      (data) => {
        if (ctrl.signal.aborted) return;
        shown.current = path;
        setState({ status: 'ok', data });
      },
      (err: unknown) => {
        if (ctrl.signal.aborted) return;
        shown.current = null;
        const error = err instanceof ApiError ? err : new ApiError('GET', path, null, null, String((err as Error)?.message ?? err));
        setState({ status: 'error', error });
      },
    );
    return () => ctrl.abort();
  }, [path, attempt]);

  return { ...state, reload };
}
