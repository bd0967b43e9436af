import { assertUrlAllowed } from './host-policy.js';

/** Settings shared by every outbound catalog read. */
export interface HttpReadOptions {
  allowedHosts: readonly string[];
  fetch?: typeof fetch;
  signal?: AbortSignal;
  headers?: Record<string, string>;
  timeoutMs?: number;
  maxBytes?: number;
}

const MAX_REDIRECTS = 5;

/** A URL as shown in problems and errors: no query string (tokens sometimes travel there). */
export function showUrl(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

/**
 * GETs `url` and returns its body as text. Every hop (redirects are followed by hand, at
 * most five) is checked against the allow-list first; credentials are only sent to the
 * origin they were given for. Throws on a refused host, a non-2xx answer or an oversize body.
 */
export async function readUrl(url: URL, options: HttpReadOptions): Promise<{ status: number; text: string; url: URL }> {
  const doFetch = options.fetch ?? fetch;
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 30_000);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  const origin = url.origin;
  let current = url;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    await assertUrlAllowed(current, options.allowedHosts);
    const headers = current.origin === origin ? { ...options.headers } : {};
    const response = await doFetch(current, { headers: { accept: 'application/json, application/yaml, text/plain', ...headers }, redirect: 'manual', signal });
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel();
      current = new URL(location, current);
      continue;
    }
    if (!response.ok) {
      await response.body?.cancel();
      const error = new Error(`HTTP ${response.status} ${response.statusText} from ${showUrl(current)}`) as Error & { status: number };
      error.status = response.status;
      throw error;
    }
    const maxBytes = options.maxBytes ?? 50 * 1024 * 1024;
    if (Number(response.headers.get('content-length') ?? 0) > maxBytes) {
      await response.body?.cancel();
      throw new Error(`${showUrl(current)} answered more than ${maxBytes} bytes`);
    }
    const text = await response.text();
    if (text.length > maxBytes) throw new Error(`${showUrl(current)} answered more than ${maxBytes} bytes`);
    return { status: response.status, text, url: current };
  }
  throw new Error(`too many redirects from ${showUrl(url)}`);
}
