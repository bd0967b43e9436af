import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { factSchemas } from '../collectors/index.js';
import type { Catalog } from './catalog.js';
import { loadCatalog } from './load-catalog.js';

const EXAMPLES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../examples');

describe('example catalog (Larkspur Freight)', () => {
  let catalog: Catalog;
  beforeAll(async () => {
    const loaded = await loadCatalog({ paths: [path.join(EXAMPLES, 'catalog')] });
    expect(loaded.problems).toEqual([]);
    catalog = loaded.catalog;
  });

  it('has at least 4 teams, 20 components, 4 systems, 2 domains, some APIs and Resources', () => {
    expect(catalog.teams().filter((t) => t.entity.spec?.type === 'team').length).toBeGreaterThanOrEqual(4);
    expect(catalog.ofKind('component').length).toBeGreaterThanOrEqual(20);
    expect(catalog.ofKind('system').length).toBeGreaterThanOrEqual(4);
    expect(catalog.ofKind('domain').length).toBeGreaterThanOrEqual(2);
    expect(catalog.ofKind('api').length).toBeGreaterThanOrEqual(3);
    expect(catalog.ofKind('resource').length).toBeGreaterThanOrEqual(3);
  });

  it('loads the same from the root file as from the folder', async () => {
    const fromFile = await loadCatalog({ paths: [path.join(EXAMPLES, 'catalog/catalog-info.yaml')] });
    expect(fromFile.problems).toEqual([]);
    expect(fromFile.catalog.entities.map((e) => e.ref).sort()).toEqual(catalog.entities.map((e) => e.ref).sort());
  });

  it.each([
    // ref, owner, system, domain
    ['component:default/payments-api', 'group:default/payments-team', 'system:default/payments', 'domain:default/commerce'],
    ['component:payment-gateway-adapter', 'group:default/payments-team', 'system:default/payments', 'domain:default/commerce'],
    ['Component:default/Tracking-API', 'group:default/tracking-team', 'system:default/shipment-tracking', 'domain:default/logistics'],
    ['component:default/invoice-renderer', 'user:default/dana.kowalski', 'system:default/payments', 'domain:default/commerce'],
    ['component:default/promo-engine', 'group:default/growth-team', undefined, undefined],
    ['component:default/auth-service', 'group:default/platform-team', 'system:default/developer-platform', undefined],
    ['system:default/fleet-routing', 'group:default/routing-team', undefined, 'domain:default/logistics'],
    ['api:default/payments-v1', 'group:default/payments-team', 'system:default/payments', 'domain:default/commerce'],
    ['component:default/does-not-exist', undefined, undefined, undefined],
  ])('%s: owner %s, system %s, domain %s', (ref, owner, system, domain) => {
    expect(catalog.ownerOf(ref)).toBe(owner);
    expect(catalog.systemOf(ref)).toBe(system);
    expect(catalog.domainOf(ref)).toBe(domain);
  });

  it('finds entities by repository slug, case-insensitively', () => {
    expect(catalog.entitiesByRepo('Larkspur/Payments-API').map((e) => e.ref)).toEqual(['component:default/payments-api']);
    expect(catalog.entitiesByRepo('larkspur/nope')).toEqual([]);
  });

  it('lists what a team owns', () => {
    expect(catalog.ownedBy('payments-team').map((e) => e.ref)).toContain('component:default/ledger-service');
  });

  it('throws a 400-style error for a malformed ref', () => {
    expect(() => catalog.get('::')).toThrow(expect.objectContaining({ code: 'YS_ERR_ENTITY_REF_INVALID' }));
  });

  describe('example facts', () => {
    const schemas: Record<string, object> = factSchemas();
    const ajv = new Ajv2020({ strict: false });

    const files = ['ci-coverage.json', 'ci-tests.json', 'github-actions.json', 'github-branch-protection.json', 'github-files.json', 'github-repository.json', 'github-security.json', 'pagerduty-service.json', 'prometheus-slo.json'];

    it.each(files)(
      '%s is labelled example data, names known components and matches the fact schemas',
      async (file) => {
        const body = JSON.parse(await readFile(path.join(EXAMPLES, 'facts', file), 'utf8'));
        expect(body.source).toBe('example-data');
        expect(body.note).toMatch(/example/i);
        expect(body.facts.length).toBeGreaterThanOrEqual(10);
        for (const fact of body.facts) {
          expect(Object.keys(fact).sort()).toEqual(expect.arrayContaining(['data', 'entityRef', 'id']));
          expect(catalog.has(fact.entityRef), fact.entityRef).toBe(true);
          const validate = ajv.compile(schemas[fact.id]);
          expect(validate(fact.data), `${fact.entityRef} ${fact.id}: ${ajv.errorsText(validate.errors)}`).toBe(true);
        }
      },
    );

    it('has no other files than those tested', async () => {
      expect((await readdir(path.join(EXAMPLES, 'facts'))).sort()).toEqual(files);
    });
  });
});
