/**
 * The dashboard's only way to the server: `fetch` under `/api/v1`, a Bearer token from
 * localStorage, and errors that say which call failed and why.
 */

export const API_BASE = '/api/v1';
const TOKEN_KEY = 'yardstick.token';

/** A failed API call: method, path, HTTP status (null when the network failed) and the server's error. */
export class ApiError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number | null,
    readonly code: string | null,
    readonly detail: string,
  ) {
    super(describeFailure(method, path, status, code, detail));
    this.name = 'ApiError';
  }

  /** The server wants a (better) token. */
  get needsToken(): boolean {
    return this.status === 401;
  }
}

function describeFailure(method: string, path: string, status: number | null, code: string | null, detail: string): string {
  const what = status === null ? 'network error' : `HTTP ${status}`;
  return `${method} ${path} failed (${what}${code ? `, ${code}` : ''}): ${detail}`;
}

export function getToken(): string | null {
  try {
    return localStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

const listeners = new Set<() => void>();

/** Store (or with null, forget) the API token and tell subscribers, so pages reload with it. */
export function setToken(token: string | null): void {
  try {
    if (token) localStorage.setItem(TOKEN_KEY, token.trim());
    else localStorage.removeItem(TOKEN_KEY);
  } catch {
    // Private mode without storage: the token lives only as long as nothing needs it again.
  }
  for (const l of listeners) l();
}

export function onTokenChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

type Query = Record<string, string | number | boolean | null | undefined>;

/** `/entities` + `{ owner: 'payments', q: '' }` → `/entities?owner=payments` (empty values dropped). */
export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    params.set(k, String(v));
  }
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal;
  /** Injected in tests. */
  fetchImpl?: typeof fetch;
}

/** Call the API; resolves with the parsed JSON body, rejects with an ApiError naming the call. */
export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { Accept: 'application/json' };
  const token = getToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  const doFetch = options.fetchImpl ?? fetch;
  let res: Response;
  try {
    res = await doFetch(`${API_BASE}${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(method, path, null, null, (err as Error).message || 'the server could not be reached');
  }
  const text = await res.text();
  let body: unknown = undefined;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
  }
  if (!res.ok) {
    const err = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
    const code = typeof err?.code === 'string' ? err.code : null;
    const message =
      typeof err?.message === 'string' && err.message
        ? err.message
        : res.statusText || (text && body === undefined ? text.slice(0, 200) : 'no error message in the response');
    throw new ApiError(method, path, res.status, code, message);
  }
  if (body === undefined && text) {
    throw new ApiError(method, path, res.status, null, 'the response was not JSON');
  }
  return body as T;
}
