import type { ReactNode } from 'react';
import type { ApiError } from '../api/client.js';
import type { ApiState } from '../api/use-api.js';
import { TokenForm } from './token-form.js';

export function Loading({ what }: { what: string }) {
  return (
    <p className="state state--loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> Loading {what}…
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="state state--empty">{children}</p>;
}

/**
 * A failed call, named: method, path, status, the server's message; a token form on 401.
 * `title` replaces "Could not load this view." for actions (a refresh, a form that posted).
 */
export function ErrorState({ error, onRetry, title }: { error: ApiError; onRetry?: () => void; title?: string }) {
  return (
    <div className="state state--error" role="alert">
      <p className="state__title">
        <span aria-hidden="true">⚠ </span>
        {error.needsToken ? 'This view needs an API token.' : (title ?? 'Could not load this view.')}
      </p>
      <p className="state__detail">
        <code>
          {error.method} {error.path}
        </code>{' '}
        → {error.status === null ? 'network error' : `HTTP ${error.status}`}
        {error.code ? ` (${error.code})` : ''}: {error.detail}
      </p>
      {error.needsToken ? <TokenForm /> : onRetry && <button type="button" onClick={onRetry}>Try again</button>}
    </div>
  );
}

/** Render `children(data)` once loaded; loading and error states otherwise. */
export function Async<T>({ state, what, children }: { state: ApiState<T> & { reload: () => void }; what: string; children: (data: T) => ReactNode }) {
  if (state.status === 'loading') return <Loading what={what} />;
  if (state.status === 'error') return <ErrorState error={state.error} onRetry={state.reload} />;
  return <>{children(state.data)}</>;
}
