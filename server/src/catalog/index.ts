export { Catalog, toEntityRef, ANNOTATION_GITHUB_SLUG } from './catalog.js';
export { loadCatalog, CATALOG_FILE_NAMES } from './load-catalog.js';
export { readBackstageEntities, type BackstageReadOptions } from './backstage-reader.js';
export { assertUrlAllowed, isForbiddenAddress, isHostAllowed } from './host-policy.js';
export { validateEntity, type EntityValidation } from './validate-entity.js';
export type { CatalogEntity, CatalogProblem, LoadCatalogOptions } from './types.js';
