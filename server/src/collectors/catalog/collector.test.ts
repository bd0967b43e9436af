import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { Catalog, loadCatalog } from '../../catalog/index.js';
import type { Entity } from '../../engine/types.js';
import type { CollectorContext } from '../collector.js';
import { catalogCollector, createCatalogCollector } from './collector.js';
import type { CatalogDescriptor } from './schema.js';

const EXAMPLE_CATALOG = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../examples/catalog');

function context(entities: { ref: string; entity: Entity }[], settings: Record<string, unknown> = {}) {
  const warnings: string[] = [];
  const ctx: CollectorContext = {
    entities,
    settings,
    signal: new AbortController().signal,
    log: { info: () => {}, warn: (msg) => void warnings.push(msg) },
  };
  return { ctx, warnings };
}

describe('catalog collector', () => {
  let catalog: Catalog;
  let descriptors: Map<string, CatalogDescriptor>;

  beforeAll(async () => {
    ({ catalog } = await loadCatalog({ paths: [EXAMPLE_CATALOG] }));
    const collector = createCatalogCollector(catalog);
    const run = await collector.collect(context(catalog.entities.filter((e) => collector.appliesTo(e.entity))).ctx);
    expect(run.errors).toEqual([]);
    descriptors = new Map(run.facts.map((f) => [f.entityRef, f.data as CatalogDescriptor]));
  });

  it('declares id, version, schema and max age for its one fact', () => {
    expect(catalogCollector).toMatchObject({ id: 'catalog', version: 1, maxAgeSeconds: { 'catalog.descriptor': 86_400 } });
    expect(Object.keys(catalogCollector.factSchemas)).toEqual(['catalog.descriptor']);
    expect(catalogCollector.factSchemas['catalog.descriptor'].$schema).toBe('https://json-schema.org/draft/2020-12/schema');
  });

  it('describes every component, API, resource, system and domain — not groups, users or locations', () => {
    const scored = catalog.entities.filter((e) => ['Component', 'API', 'Resource', 'System', 'Domain'].includes(e.entity.kind));
    expect([...descriptors.keys()].sort()).toEqual(scored.map((e) => e.ref).sort());
  });

  it('validates against its own JSON Schema (strict ajv, draft 2020-12) for every example entity', () => {
    const ajv = new Ajv2020({ strict: true, allErrors: true });
    const validate = ajv.compile(catalogCollector.factSchemas['catalog.descriptor']);
    expect(descriptors.size).toBeGreaterThanOrEqual(30);
    for (const [ref, data] of descriptors) {
      expect(validate(data), `${ref}: ${ajv.errorsText(validate.errors)}`).toBe(true);
    }
  });

  it.each([
    ['component:default/payments-api', { owner: 'group:default/payments-team', ownerKnown: true, lifecycle: 'production', type: 'service', system: 'system:default/payments', domain: 'domain:default/commerce', hasDocs: true, hasGithubSlug: true, hasPagerDuty: true, hasPrometheus: true, title: 'Payments API' }],
    ['component:default/fraud-scoring', { ownerKnown: true, description: null, system: null, domain: null, hasDocs: false, hasPagerDuty: false, hasPrometheus: false }],
    ['component:default/invoice-renderer', { owner: 'user:default/dana.kowalski', ownerKnown: false }],
    ['component:default/promo-engine', { owner: 'group:default/growth-team', ownerKnown: false, description: null }],
    ['component:default/legacy-dispatch', { owner: 'group:default/dispatch-team', ownerKnown: false, lifecycle: 'deprecated' }],
    ['component:default/storefront-web', { hasDocs: true, hasPrometheus: true, tags: ['react', 'typescript'] }],
    ['component:default/checkout-api', { hasPrometheus: true }],
    ['component:default/label-printer-bridge', { lifecycle: 'unknown', hasGithubSlug: false, annotations: {} }],
    ['component:default/auth-service', { domain: null, system: 'system:default/developer-platform' }],
    ['system:default/payments', { kind: 'System', type: null, lifecycle: null, domain: 'domain:default/commerce', ownerKnown: true }],
  ])('%s', (ref, expected) => {
    expect(descriptors.get(ref)).toMatchObject(expected);
  });

  it('takes the catalog from ctx.settings.catalog', async () => {
    const item = catalog.get('component:default/payments-api')!;
    const run = await catalogCollector.collect(context([item], { catalog }).ctx);
    expect(run.facts[0].data).toMatchObject({ ownerKnown: true, domain: 'domain:default/commerce' });
  });

  it('without a catalog, resolves within the batch and warns', async () => {
    const item = catalog.get('component:default/payments-api')!;
    const { ctx, warnings } = context([item]);
    const run = await catalogCollector.collect(ctx);
    expect(run.facts[0].data).toMatchObject({ owner: 'group:default/payments-team', ownerKnown: false });
    expect(warnings).toHaveLength(1);
  });

  it('describes the entity it is given, not the catalog copy (a pull request may change it)', async () => {
    const item = catalog.get('component:default/payments-api')!;
    const changed: Entity = { ...item.entity, spec: { ...item.entity.spec, owner: 'storefront-team', system: 'checkout' } };
    const run = await createCatalogCollector(catalog).collect(context([{ ref: item.ref, entity: changed }]).ctx);
    expect(run.facts[0].data).toMatchObject({ owner: 'group:default/storefront-team', ownerKnown: true, system: 'system:default/checkout', domain: 'domain:default/commerce' });
  });
});
