import { loadCatalog, type Catalog, type CatalogProblem } from '../catalog/index.js';
import { createCatalogCollector } from '../collectors/catalog/collector.js';
import type { Store, StoredEntity } from '../store/index.js';

export interface CatalogSource {
  catalogPaths: readonly string[];
  backstageUrl?: string;
  backstageToken?: string;
  allowedHosts: readonly string[];
}

export interface CatalogSyncResult {
  catalog: Catalog;
  problems: CatalogProblem[];
  removed: string[];
  entities: number;
}

/**
 * Load the catalog, store its entities (dropping those gone, with their facts) and write the
 * catalog collector's facts. Locations are followed, not stored.
 */
export async function syncCatalog(store: Store, source: CatalogSource, signal?: AbortSignal): Promise<CatalogSyncResult> {
  const { catalog, problems } = await loadCatalog({
    paths: [...source.catalogPaths],
    backstageUrl: source.backstageUrl,
    token: source.backstageToken,
    allowedHosts: [...source.allowedHosts],
    signal,
  });
  const stored: StoredEntity[] = catalog.entities
    .filter((e) => e.entity.kind.toLowerCase() !== 'location')
    .map((e) => ({ ref: e.ref, entity: e.entity, owner: catalog.ownerOf(e.ref) ?? null, system: catalog.systemOf(e.ref) ?? null }));
  const { removed } = await store.entities.sync(stored);
  const collector = createCatalogCollector(catalog);
  const run = await collector.collect({
    entities: stored.filter((e) => collector.appliesTo(e.entity)),
    settings: {},
    signal: signal ?? new AbortController().signal,
    log: { info: () => {}, warn: () => {} },
  });
  await store.facts.write(run.facts.map((f) => ({ ...f, source: 'catalog' })));
  return { catalog, problems, removed, entities: stored.length };
}
