import { Catalog } from '../../catalog/index.js';
import type { Entity } from '../../engine/types.js';
import type { CollectedFact, CollectionError, Collector, CollectorContext } from '../collector.js';
import { catalogDescriptorSchema, type CatalogDescriptor } from './schema.js';

/** Annotation names the descriptor looks at (documented in examples/README.md). */
export const ANNOTATIONS = {
  githubSlug: 'github.com/project-slug',
  techdocs: 'backstage.io/techdocs-ref',
  pagerDutyServiceId: 'pagerduty.com/service-id',
  pagerDutyIntegrationKey: 'pagerduty.com/integration-key',
  prometheusSelector: 'prometheus.io/selector',
  prometheusJob: 'prometheus.io/job',
} as const;

/** Kinds the descriptor is collected for: the ones that get scored, not people or pointers. */
const DESCRIBED_KINDS = new Set(['component', 'api', 'resource', 'system', 'domain']);

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function present(annotations: Record<string, string>, name: string): boolean {
  return typeof annotations[name] === 'string' && annotations[name].trim() !== '';
}

function isDocsLink(link: { title?: string; icon?: string; type?: string }): boolean {
  const type = link.type?.toLowerCase();
  return type === 'docs' || type === 'documentation' || link.icon === 'docs' || /\b(docs?|documentation)\b/i.test(link.title ?? '');
}

/**
 * The `catalog.descriptor` fact of one entity: what its descriptor declares, with refs made
 * canonical through the catalog (which also answers whether the owner is a known Group).
 */
export function describeEntity(ref: string, entity: Entity, catalog: Catalog): CatalogDescriptor {
  const annotations = { ...(entity.metadata.annotations ?? {}) };
  const links = (entity.metadata.links ?? []).map((link) => ({ ...link }));
  const spec = entity.spec ?? {};
  // The entity handed over may differ from the catalog's copy (a pull request's descriptor):
  // describe the one given, resolved against the rest of the catalog.
  const view = catalog.get(ref)?.entity === entity
    ? catalog
    : new Catalog([...catalog.entities.filter((e) => e.ref !== ref), { ref, entity, source: { file: 'context' } }]);
  const owner = view.ownerOf(ref) ?? null;
  const ownerEntity = owner ? view.get(owner) : undefined;
  return {
    kind: entity.kind,
    type: text(spec.type),
    lifecycle: text(spec.lifecycle),
    owner: owner ?? text(spec.owner),
    ownerKnown: ownerEntity?.entity.kind.toLowerCase() === 'group',
    title: text(entity.metadata.title),
    description: text(entity.metadata.description),
    tags: [...(entity.metadata.tags ?? [])],
    annotations,
    links,
    system: view.systemOf(ref) ?? null,
    domain: view.domainOf(ref) ?? null,
    hasDocs: present(annotations, ANNOTATIONS.techdocs) || links.some(isDocsLink),
    hasGithubSlug: present(annotations, ANNOTATIONS.githubSlug),
    hasPagerDuty: present(annotations, ANNOTATIONS.pagerDutyServiceId) || present(annotations, ANNOTATIONS.pagerDutyIntegrationKey),
    hasPrometheus: present(annotations, ANNOTATIONS.prometheusSelector) || present(annotations, ANNOTATIONS.prometheusJob),
  };
}

/**
 * Creates the `catalog` collector. It reads no outside system: the descriptor comes from the
 * entity itself, and the catalog is needed only to resolve owner, system and domain.
 *
 * Where the catalog comes from, first match wins: the `catalog` argument; else
 * `ctx.settings.catalog` (a {@link Catalog}); else a catalog built from `ctx.entities`
 * (with a warning, since owners outside that batch then look unknown).
 *
 * @example
 * ```ts
 * const { catalog } = await loadCatalog({ paths: ['catalog-info.yaml'] });
 * const run = await createCatalogCollector(catalog).collect(ctx);
 * run.facts[0]; // { entityRef: 'component:default/payments-api', id: 'catalog.descriptor', data: { owner: 'group:default/payments-team', ownerKnown: true, … } }
 * ```
 */
export function createCatalogCollector(catalog?: Catalog): Collector {
  return {
    id: 'catalog',
    version: 1,
    factSchemas: { 'catalog.descriptor': catalogDescriptorSchema },
    maxAgeSeconds: { 'catalog.descriptor': 86_400 },
    cadence: '0 * * * *',
    appliesTo: (entity) => DESCRIBED_KINDS.has(entity.kind.toLowerCase()),
    async collect(ctx: CollectorContext) {
      let source = catalog ?? (ctx.settings.catalog instanceof Catalog ? ctx.settings.catalog : undefined);
      if (!source) {
        ctx.log.warn('catalog collector: no catalog given (settings.catalog); resolving owners within this batch only');
        source = new Catalog(ctx.entities.map(({ ref, entity }) => ({ ref, entity, source: { file: 'context' } })));
      }
      const facts: CollectedFact[] = [];
      const errors: CollectionError[] = [];
      const collectedAt = new Date();
      for (const { ref, entity } of ctx.entities) {
        if (ctx.signal.aborted) break;
        try {
          facts.push({ entityRef: ref, id: 'catalog.descriptor', data: describeEntity(ref, entity, source), collectedAt });
        } catch (error) {
          errors.push({ entityRef: ref, factId: 'catalog.descriptor', message: (error as Error).message });
        }
      }
      return { facts, errors };
    },
  };
}

/** The registered collector: takes the catalog from `ctx.settings.catalog`. */
export const catalogCollector: Collector = createCatalogCollector();
