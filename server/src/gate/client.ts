/**
 * The HTTP client of `POST /api/v1/gate`, shared by the GitHub Action and `yardstick gate`.
 * It sorts every way a call can end into three: a verdict, a request the server refused
 * (our fault: fix the input), or a server that could not answer (down, 5xx, timeout).
 */
import type { GateRequest, GateResponse } from './types.js';

export interface GateCallOptions {
  serverUrl: string;
  token?: string;
  timeoutMs: number;
  /** Injected for tests. */
  fetch?: typeof fetch;
  userAgent?: string;
}

export type GateCallResult =
  | { kind: 'verdict'; response: GateResponse }
  /** 4xx: the request or the credentials are wrong; retrying will not help. */
  | { kind: 'refused'; status: number; code?: string; message: string }
  /** Network error, timeout, 5xx or an answer that is not a verdict: the server could not decide. */
  | { kind: 'unavailable'; status?: number; message: string };

/** `https://ys.example.com/` + `api/v1/gate`, keeping any path prefix of the server URL. */
export function gateEndpoint(serverUrl: string): string {
  const base = serverUrl.endsWith('/') ? serverUrl : `${serverUrl}/`;
  return new URL('api/v1/gate', base).toString();
}

/**
 * Ask the server for a verdict. Never throws.
 *
 * @example
 * ```ts
 * const r = await requestGate({ serverUrl, token, timeoutMs: 10_000 }, { repo, sha, pullRequest: 42 });
 * if (r.kind === 'verdict' && !r.response.passed) process.exitCode = 1;
 * ```
 */
export async function requestGate(options: GateCallOptions, body: GateRequest): Promise<GateCallResult> {
  const doFetch = options.fetch ?? fetch;
  const url = gateEndpoint(options.serverUrl);
  let res: Response;
  try {
    res = await doFetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        'user-agent': options.userAgent ?? 'yardstick-gate',
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    if (e.name === 'TimeoutError' || e.name === 'AbortError') {
      return { kind: 'unavailable', message: `no answer from ${url} within ${Math.round(options.timeoutMs / 100) / 10} s` };
    }
    return { kind: 'unavailable', message: `cannot reach ${url}: ${e.cause?.code ?? e.cause?.message ?? e.message}` };
  }
  let text: string;
  try {
    text = await res.text();
  } catch (err) {
    const e = err as Error;
    const timedOut = e.name === 'TimeoutError' || e.name === 'AbortError';
    return { kind: 'unavailable', status: res.status, message: timedOut ? `the answer from ${url} did not finish within the timeout` : `reading the answer from ${url} failed: ${e.message}` };
  }
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  // Yardstick errors are `{ error: { code, message } }`; anything else is shown as text.
  const errorBody = (json && typeof json === 'object' ? json : {}) as { error?: { code?: string; message?: string } };
  const payload = { code: errorBody.error?.code, message: errorBody.error?.message };
  if (res.status >= 500) {
    return { kind: 'unavailable', status: res.status, message: `${url} answered ${res.status}${payload.code ? ` ${payload.code}` : ''}: ${payload.message ?? (text.slice(0, 200) || res.statusText)}` };
  }
  if (res.status >= 400) {
    return { kind: 'refused', status: res.status, code: payload.code, message: payload.message ?? (text.slice(0, 500) || res.statusText) };
  }
  const verdict = json as Partial<GateResponse> | undefined;
  if (!verdict || (verdict.verdict !== 'pass' && verdict.verdict !== 'fail') || !Array.isArray(verdict.tracks)) {
    return { kind: 'unavailable', status: res.status, message: `${url} answered ${res.status} without a gate verdict (is server-url the Yardstick server?)` };
  }
  return { kind: 'verdict', response: verdict as GateResponse };
}

/** Explain a refusal in terms a developer can act on. */
export function explainRefusal(r: { status: number; code?: string; message: string }): string {
  const hint =
    r.status === 401
      ? ' Check the token: create one with scope "ci" and store it as a repository secret.'
      : r.status === 403
        ? ' The token may not gate this repository: give it a "ci" token listing this repository, or an admin token.'
        : r.status === 404 && r.code === 'YS_ERR_GATE_NO_ENTITIES'
          ? ''
          : r.status === 404
            ? ' Check server-url: it should be the base URL of the Yardstick server.'
            : '';
  return `Yardstick refused the gate request (${r.status}${r.code ? ` ${r.code}` : ''}): ${r.message}.${hint}`.replace(/\.\./g, '.');
}
