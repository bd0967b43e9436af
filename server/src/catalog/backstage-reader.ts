import { readUrl, showUrl, type HttpReadOptions } from './http-read.js';

/** Options of {@link readBackstageEntities}. */
export interface BackstageReadOptions extends Omit<HttpReadOptions, 'headers'> {
  /** `https://backstage.example.com` (or already ending in `/api/catalog`). */
  baseUrl: string;
  token?: string;
  /** Entities per request; Backstage caps it server-side anyway. */
  pageSize?: number;
}

const MAX_PAGES = 10_000;

/** `{baseUrl}/api/catalog` without a trailing slash. */
export function catalogApiBase(baseUrl: string): URL {
  const url = new URL(baseUrl);
  url.search = '';
  url.hash = '';
  const path = url.pathname.replace(/\/+$/, '');
  url.pathname = path.endsWith('/api/catalog') ? path : `${path}/api/catalog`;
  return url;
}

/**
 * Reads every entity of a running Backstage catalog: `GET /entities/by-query` following
 * `pageInfo.nextCursor`; a Backstage too old for that endpoint (404) is read through
 * `GET /entities` with offset paging. Entities come back unvalidated, in server order.
 *
 * @example
 * ```ts
 * const { entities, endpoint } = await readBackstageEntities({
 *   baseUrl: 'https://backstage.example.com', token, allowedHosts: ['backstage.example.com'] });
 * ```
 */
export async function readBackstageEntities(options: BackstageReadOptions): Promise<{ entities: unknown[]; endpoint: string }> {
  const base = catalogApiBase(options.baseUrl);
  const http: HttpReadOptions = { ...options, headers: options.token ? { authorization: `Bearer ${options.token}` } : {} };
  const pageSize = options.pageSize ?? 500;
  const entities: unknown[] = [];

  const byQuery = new URL(`${base.pathname}/entities/by-query`, base);
  let cursor: string | undefined;
  const seen = new Set<string>();
  for (let page = 0; page < MAX_PAGES; page++) {
    const url = new URL(byQuery);
    url.searchParams.set('limit', String(pageSize));
    if (cursor) url.searchParams.set('cursor', cursor);
    let body: { items?: unknown[]; pageInfo?: { nextCursor?: string } };
    try {
      body = JSON.parse((await readUrl(url, http)).text);
    } catch (error) {
      if (page === 0 && (error as { status?: number }).status === 404) return readLegacy(base, http, pageSize);
      throw error;
    }
    if (!Array.isArray(body.items)) throw new Error(`${showUrl(byQuery)} did not answer { items: [...] }`);
    // A deleted entity shows up as null between pages.
    entities.push(...body.items.filter((item) => item !== null));
    cursor = body.pageInfo?.nextCursor;
    if (!cursor) return { entities, endpoint: showUrl(byQuery) };
    if (seen.has(cursor)) throw new Error(`${showUrl(byQuery)} returned the same cursor twice`);
    seen.add(cursor);
  }
  throw new Error(`${showUrl(byQuery)} returned more than ${MAX_PAGES} pages`);
}

async function readLegacy(base: URL, http: HttpReadOptions, pageSize: number): Promise<{ entities: unknown[]; endpoint: string }> {
  const endpoint = new URL(`${base.pathname}/entities`, base);
  const entities: unknown[] = [];
  for (let page = 0; page < MAX_PAGES; page++) {
    const url = new URL(endpoint);
    url.searchParams.set('offset', String(page * pageSize));
    url.searchParams.set('limit', String(pageSize));
    const items: unknown = JSON.parse((await readUrl(url, http)).text);
    if (!Array.isArray(items)) throw new Error(`${showUrl(endpoint)} did not answer an array of entities`);
    entities.push(...items.filter((item) => item !== null));
    if (items.length < pageSize) return { entities, endpoint: showUrl(endpoint) };
  }
  throw new Error(`${showUrl(endpoint)} returned more than ${MAX_PAGES} pages`);
}
