import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogApiBase } from './backstage-reader.js';
import { loadCatalog } from './load-catalog.js';
import { startServer } from './test-helpers.js';

const entity = (name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', uid: `uid-${name}`, etag: 'e' },
  spec: { type: 'service', lifecycle: 'production', owner: 'group:default/team-a' },
  relations: [{ type: 'ownedBy', targetRef: 'group:default/team-a' }],
  ...extra,
});

// Seven entities (one invalid, one deleted mid-read) over three cursor pages.
const PAGES: Record<string, { items: unknown[]; next?: string }> = {
  '': { items: [entity('c1'), entity('c2'), entity('c3')], next: 'p2' },
  p2: { items: [entity('c4'), null, { ...entity('bad'), spec: { type: 'service' } }], next: 'p3' },
  p3: { items: [entity('c5')] },
};
const TOKEN = 'test-token-not-a-secret';

describe('Backstage REST reader', () => {
  let modern: Awaited<ReturnType<typeof startServer>>;
  let legacy: Awaited<ReturnType<typeof startServer>>;

  beforeAll(async () => {
    modern = await startServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (req.headers.authorization !== `Bearer ${TOKEN}`) return void res.writeHead(401).end();
      if (url.pathname !== '/backstage/api/catalog/entities/by-query') return void res.writeHead(404).end();
      const page = PAGES[url.searchParams.get('cursor') ?? ''];
      if (!page) return void res.writeHead(400).end();
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ items: page.items, totalItems: 7, pageInfo: page.next ? { nextCursor: page.next } : {} }));
    });
    // An older Backstage without /by-query: offset paging on /entities.
    legacy = await startServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname !== '/api/catalog/entities') return void res.writeHead(404).end();
      const all = [entity('l1'), entity('l2'), entity('l3')];
      const offset = Number(url.searchParams.get('offset'));
      res.end(JSON.stringify(all.slice(offset, offset + Number(url.searchParams.get('limit')))));
    });
  });
  afterAll(async () => {
    await modern.close();
    await legacy.close();
  });

  it('follows cursor pages, sends the bearer token, skips nulls and reports invalid entities', async () => {
    const { catalog, problems } = await loadCatalog({ paths: [], backstageUrl: `${modern.origin}/backstage/`, allowedHosts: ['127.0.0.1'], token: TOKEN });
    expect(catalog.entities.map((e) => e.ref)).toEqual(['c1', 'c2', 'c3', 'c4', 'c5'].map((n) => `component:default/${n}`));
    expect(catalog.ownerOf('component:c4')).toBe('group:default/team-a');
    expect(problems).toEqual([
      { file: `${modern.origin}/backstage/api/catalog/entities/by-query`, document: 4, message: expect.stringMatching(/component:bad: invalid entity: .*lifecycle/) },
    ]);
    expect(modern.requests.map((r) => new URL(r.url, 'http://x').searchParams.get('cursor'))).toEqual([null, 'p2', 'p3']);
    expect(modern.requests.every((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true);
  });

  it('falls back to /entities with offset paging on an older Backstage', async () => {
    const { catalog, problems } = await loadCatalog({ paths: [], backstageUrl: legacy.origin, allowedHosts: [legacy.origin.replace('http://', '')] });
    expect(problems).toEqual([]);
    expect(catalog.entities.map((e) => e.ref)).toEqual(['component:default/l1', 'component:default/l2', 'component:default/l3']);
  });

  it('reports an HTTP failure as a problem without the token', async () => {
    const { catalog, problems } = await loadCatalog({ paths: [], backstageUrl: `${modern.origin}/backstage`, allowedHosts: ['127.0.0.1'], token: 'wrong' });
    expect(catalog.size).toBe(0);
    expect(problems).toEqual([{ file: `${modern.origin}/backstage`, message: expect.stringMatching(/HTTP 401/) }]);
    expect(JSON.stringify(problems)).not.toContain('wrong');
  });

  it.each([
    { name: 'no allow-list', url: () => modern.origin, allowed: [] as string[] },
    { name: 'localhost not listed', url: () => `http://localhost:${modern.port}`, allowed: ['127.0.0.1'] },
    { name: 'metadata address even when listed', url: () => 'http://169.254.169.254', allowed: ['169.254.169.254'] },
    { name: 'IPv6 link-local even when listed', url: () => 'http://[fe80::1]:7007', allowed: ['[fe80::1]'] },
    { name: 'not a URL', url: () => 'backstage.example.com', allowed: ['backstage.example.com'] },
  ])('refuses backstageUrl with $name, before any request', async ({ url, allowed }) => {
    const before = modern.requests.length;
    await expect(loadCatalog({ paths: [], backstageUrl: url(), allowedHosts: allowed, token: TOKEN })).rejects.toMatchObject({ code: 'YS_ERR_CATALOG_INVALID' });
    expect(modern.requests.length).toBe(before);
  });

  it.each([
    ['https://backstage.example.com', 'https://backstage.example.com/api/catalog'],
    ['https://backstage.example.com/', 'https://backstage.example.com/api/catalog'],
    ['https://example.com/portal/api/catalog/', 'https://example.com/portal/api/catalog'],
  ])('catalog API base of %s is %s', (input, expected) => {
    expect(catalogApiBase(input).href).toBe(expected);
  });
});
