/** A small client of PagerDuty's REST API v2: token auth, offset paging, one polite retry on 429. */

export const PAGERDUTY_ACCEPT = 'application/vnd.pagerduty+json;version=2';

/** A failed request. `fatal` errors (bad token, unreachable API) would fail every further request the same way. */
export class PagerDutyError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly fatal = false,
  ) {
    super(message);
    this.name = 'PagerDutyError';
  }
}

export interface PagerDutyClientOptions {
  apiUrl: string;
  token: string;
  timeoutMs?: number;
  /** Longest Retry-After honoured on a 429 (default 60 s); longer → the request fails. */
  maxRetryAfterMs?: number;
  signal?: AbortSignal;
  fetch?: typeof fetch;
}

/** Offset paging stops here: PagerDuty refuses offset + limit above 10 000. */
const MAX_OFFSET = 10_000;

/** What the collector needs of a client (lets the collector put every call through its queue). */
export interface PagerDutyApi {
  get<T>(path: string, query?: Record<string, string | string[]>): Promise<T | undefined>;
  list<T>(path: string, name: string, query?: Record<string, string | string[]>): Promise<{ items: T[]; truncated: boolean }>;
}

export class PagerDutyClient implements PagerDutyApi {
  constructor(private readonly options: PagerDutyClientOptions) {}

  /** GET a path; `undefined` for 404 (the caller decides whether that is a fact or an error). */
  async get<T>(path: string, query: Record<string, string | string[]> = {}): Promise<T | undefined> {
    const url = new URL(`${this.options.apiUrl.replace(/\/+$/, '')}${path}`);
    for (const [key, value] of Object.entries(query)) {
      for (const v of Array.isArray(value) ? value : [value]) url.searchParams.append(key, v);
    }
    for (let attempt = 0; ; attempt++) {
      const res = await this.send(url);
      if (res.status === 404) {
        await res.body?.cancel();
        return undefined;
      }
      if (res.ok) return (await res.json()) as T;
      const message = await errorMessage(res);
      if (res.status === 429 && attempt === 0) {
        const wait = retryAfterMs(res.headers.get('retry-after'));
        if (wait <= (this.options.maxRetryAfterMs ?? 60_000)) {
          await sleep(wait, this.options.signal);
          continue;
        }
      }
      const fatal = res.status === 401 || res.status === 403;
      throw new PagerDutyError(`PagerDuty ${res.status} on GET ${url.pathname}: ${message}`, res.status, fatal);
    }
  }

  /** Every item of an offset-paged list (`{ <name>: [...], more }`), up to PagerDuty's offset ceiling. */
  async list<T>(path: string, name: string, query: Record<string, string | string[]> = {}): Promise<{ items: T[]; truncated: boolean }> {
    const items: T[] = [];
    const limit = 100;
    for (let offset = 0; ; offset += limit) {
      if (offset + limit > MAX_OFFSET) return { items, truncated: true };
      const page = await this.get<Record<string, unknown>>(path, { ...query, limit: String(limit), offset: String(offset) });
      if (!page) throw new PagerDutyError(`PagerDuty 404 on GET ${path}`, 404);
      const batch = page[name];
      if (!Array.isArray(batch)) throw new PagerDutyError(`PagerDuty answered GET ${path} without a "${name}" list`);
      items.push(...(batch as T[]));
      if (page.more !== true || batch.length === 0) return { items, truncated: false };
    }
  }

  private async send(url: URL): Promise<Response> {
    const timeoutMs = this.options.timeoutMs ?? 15_000;
    const signals = [AbortSignal.timeout(timeoutMs)];
    if (this.options.signal) signals.push(this.options.signal);
    try {
      return await (this.options.fetch ?? fetch)(url, {
        headers: { authorization: `Token token=${this.options.token}`, accept: PAGERDUTY_ACCEPT },
        signal: AbortSignal.any(signals),
      });
    } catch (err) {
      const e = err as Error & { cause?: { code?: string; message?: string } };
      const why = e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (e.cause?.code ?? e.cause?.message ?? e.message);
      throw new PagerDutyError(`PagerDuty API at ${url.origin} unreachable: ${why}`, undefined, e.name !== 'AbortError');
    }
  }
}

async function errorMessage(res: Response): Promise<string> {
  const text = await res.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { error?: { message?: string; code?: number; errors?: string[] } };
    if (body.error?.message) {
      const extra = body.error.errors?.length ? ` (${body.error.errors.join('; ')})` : '';
      return `${body.error.message}${body.error.code === undefined ? '' : ` [code ${body.error.code}]`}${extra}`;
    }
  } catch {
    // not JSON
  }
  return res.statusText || text.slice(0, 200);
}

/** Retry-After in seconds or as an HTTP date; a missing or unreadable one means 1 s. */
export function retryAfterMs(header: string | null, now = Date.now()): number {
  if (!header) return 1000;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? 1000 : Math.max(0, at - now);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new PagerDutyError('collection aborted'));
    }, { once: true });
  });
}
