/**
 * The GitHub client of one sweep: octokit with the throttling and retry plugins, PAT or App
 * installation auth, a fetch that counts what reaches the network and feeds the rate budget, and
 * conditional GETs whose ETags and (projected) bodies live in the collector cache.
 */
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { createHash } from 'node:crypto';
import { App, Octokit, RequestError } from 'octokit';
import type { CollectorContext } from '../collector.js';
import { budgetFor, type RateBudget } from './rate-budget.js';
import type { ResolvedGithubSettings } from './settings.js';

// octokit's Octokit already carries both plugins; naming them keeps the dependency explicit
// (Octokit.plugin skips plugins it already has).
const GithubOctokit = Octokit.plugin(throttling, retry);
export type GithubOctokitInstance = InstanceType<typeof GithubOctokit>;

/** Requests of one sweep, as seen on the wire. */
export interface RequestCounts {
  /** Requests that reached the network (including retries). */
  network: number;
  /** Of those, answered 304 Not Modified (free of rate limit). */
  notModified: number;
  /** Network requests that were not 304: what the sweep cost. */
  counted: number;
  graphql: number;
  rest: number;
  /** Secondary rate limits met (each honoured by waiting its retry-after). */
  secondaryLimits: number;
  /** Primary limits met (quota exhausted). */
  rateLimits: number;
}

export interface GithubClient {
  octokit: GithubOctokitInstance;
  budget: RateBudget;
  counts: RequestCounts;
  settings: ResolvedGithubSettings;
  /** Conditional GET through the cache: see {@link cachedGet}. */
  get<T>(route: string, params: Record<string, unknown>, project: (data: unknown) => T): Promise<CachedPage<T>>;
}

export interface CachedPage<T> {
  value: T;
  /** URL of the next page (Link rel="next"), if any. */
  next?: string;
  notModified: boolean;
}

interface CacheEntry {
  etag?: string;
  link?: string;
  value?: unknown;
  /** A 403/404 answer (feature off, no access), remembered until `until` (epoch ms). */
  unavailable?: { status: number; message: string; until: number };
}

type KeyValueCache = NonNullable<CollectorContext['cache']>;

/** A cache that lives as long as the collector object, when the caller gives none. */
export function memoryCache(): KeyValueCache {
  const map = new Map<string, unknown>();
  return { get: async (k) => map.get(k), set: async (k, v) => void map.set(k, v) };
}

function resourceOf(url: string): string {
  const { pathname } = new URL(url);
  if (/\/graphql$/.test(pathname)) return 'graphql';
  if (/\/search\//.test(pathname)) return 'search';
  return 'core';
}

/** Build the client for one sweep. Throws on unusable credentials (App key that cannot sign, …). */
export async function createGithubClient(
  settings: ResolvedGithubSettings,
  ctx: Pick<CollectorContext, 'signal' | 'log'>,
  cache: KeyValueCache,
): Promise<GithubClient> {
  const secret = settings.auth.kind === 'token' ? settings.auth.token : `${settings.auth.appId}:${settings.auth.installationId}`;
  const identity = createHash('sha256').update(`${settings.apiUrl}\n${secret}`).digest('hex').slice(0, 16);
  const budget = budgetFor(identity, settings.rateLimitReserve, settings.maxRateLimitWaitSeconds * 1000);
  const counts: RequestCounts = { network: 0, notModified: 0, counted: 0, graphql: 0, rest: 0, secondaryLimits: 0, rateLimits: 0 };

  const countingFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const resource = resourceOf(url);
    // Without a deadline a GitHub that accepts the connection and never answers holds the job
    // (and its lease, kept alive by the heartbeat) forever. A timeout becomes a retried 5xx.
    const timeout = AbortSignal.timeout(settings.requestTimeoutMs);
    let res: Response;
    try {
      res = await fetch(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout });
    } catch (err) {
      if (timeout.aborted) throw new Error(`no answer from GitHub within ${settings.requestTimeoutMs} ms (${init?.method ?? 'GET'} ${new URL(url).pathname})`);
      throw err;
    }
    counts.network++;
    if (res.status === 304) counts.notModified++;
    else {
      counts.counted++;
      if (resource === 'graphql') counts.graphql++;
      else counts.rest++;
    }
    budget.update(resource, res.headers);
    return res;
  };

  const maxWait = settings.maxRateLimitWaitSeconds;
  const options = {
    baseUrl: settings.apiUrl,
    userAgent: 'yardstick-github-collector',
    // ctx.signal is checked before each request rather than handed to fetch: one long-lived
    // signal given to thousands of fetches collects an abort listener per request.
    request: { fetch: countingFetch },
    log: { debug: () => {}, info: () => {}, warn: (m: string) => ctx.log.warn(m), error: (m: string) => ctx.log.warn(m) },
    throttle: {
      // One id per token: octokit's limiter groups (10 requests in flight, GraphQL spaced 1 s) are shared per id.
      id: `yardstick-${identity}`,
      onRateLimit: (retryAfter: number, opts: { method: string; url: string }, _o: unknown, retryCount: number) => {
        counts.rateLimits++;
        ctx.log.warn('GitHub rate limit exhausted', { method: opts.method, url: opts.url, retryAfter });
        return retryCount < 1 && retryAfter <= maxWait;
      },
      onSecondaryRateLimit: (retryAfter: number, opts: { method: string; url: string }, _o: unknown, retryCount: number) => {
        counts.secondaryLimits++;
        ctx.log.warn('GitHub secondary rate limit; waiting retry-after', { method: opts.method, url: opts.url, retryAfter });
        return retryCount < 3 && retryAfter <= maxWait;
      },
    },
    // 429 and 403 belong to the throttling plugin; 304 is an answer, not a failure.
    retry: { retries: settings.retries, retryAfterBaseValue: settings.retryBaseMs, doNotRetry: [304, 400, 401, 403, 404, 410, 422, 429, 451] },
  };

  let octokit: GithubOctokitInstance;
  if (settings.auth.kind === 'app') {
    const app = new App({ appId: settings.auth.appId, privateKey: settings.auth.privateKey, Octokit: GithubOctokit.defaults(options) });
    octokit = (await app.getInstallationOctokit(settings.auth.installationId)) as unknown as GithubOctokitInstance;
  } else {
    octokit = new GithubOctokit({ ...options, auth: settings.auth.token });
  }

  // The budget is checked once per logical request, outside the retry plugins, so a refusal
  // surfaces as it is instead of being retried as a network failure.
  octokit.hook.before('request', async (options) => {
    ctx.signal.throwIfAborted();
    const url = String(options.url);
    const resource = /(^|\/)graphql$/.test(url.split('?')[0]) ? 'graphql' : /(^|\/)search\//.test(url) ? 'search' : 'core';
    const headers = options.headers as Record<string, string | undefined>;
    await budget.acquire(resource, Boolean(headers['if-none-match']), ctx.signal);
  });

  const get = <T>(route: string, params: Record<string, unknown>, project: (data: unknown) => T) =>
    cachedGet(octokit, cache, settings.apiUrl, route, params, project, settings.unavailableRecheckSeconds);
  return { octokit, budget, counts, settings, get };
}

/**
 * GET with `If-None-Match` from the cache. A 304 (which octokit raises as a RequestError) answers
 * with the cached value. Only the projection of a body is stored, so the cache stays small.
 */
export async function cachedGet<T>(
  octokit: GithubOctokitInstance,
  cache: KeyValueCache,
  baseUrl: string,
  route: string,
  params: Record<string, unknown>,
  project: (data: unknown) => T,
  unavailableRecheckSeconds = 0,
): Promise<CachedPage<T>> {
  const endpoint = octokit.request.endpoint(route, params);
  const url = endpoint.url.startsWith('http') ? endpoint.url : baseUrl + endpoint.url;
  const key = `github:v1:${url}`;
  const entry = (await cache.get(key)) as CacheEntry | undefined;
  // GitHub sends no ETag with errors, so "Dependabot is disabled" would cost a request every
  // sweep: remember it for a while instead.
  if (entry?.unavailable && entry.unavailable.until > Date.now()) {
    throw new RequestError(entry.unavailable.message, entry.unavailable.status, { request: { method: 'GET', url, headers: {} } });
  }
  try {
    const res = await octokit.request(route, { ...params, headers: entry?.etag ? { 'if-none-match': entry.etag } : {} });
    const value = project(res.data);
    const etag = res.headers.etag;
    if (etag) await cache.set(key, { etag, link: res.headers.link, value } satisfies CacheEntry);
    else if (entry) await cache.set(key, {});
    return { value, next: nextLink(res.headers.link), notModified: false };
  } catch (err) {
    if (err instanceof RequestError && err.status === 304 && entry?.etag) {
      return { value: entry.value as T, next: nextLink(entry.link), notModified: true };
    }
    if (err instanceof RequestError && (err.status === 403 || err.status === 404) && unavailableRecheckSeconds > 0 && !isRateLimited(err)) {
      await cache.set(key, { unavailable: { status: err.status, message: err.message, until: Date.now() + unavailableRecheckSeconds * 1000 } } satisfies CacheEntry);
    }
    throw err;
  }
}

function isRateLimited(err: RequestError): boolean {
  return err.response?.headers['x-ratelimit-remaining'] === '0' || /rate limit/i.test(err.message);
}

function nextLink(link: string | undefined): string | undefined {
  return link ? /<([^>]+)>;\s*rel="next"/.exec(link)?.[1] : undefined;
}

export { RequestError };
