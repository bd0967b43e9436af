export { Runtime, loadDefinitionsFromDisk } from './runtime.js';
export { rescore, evaluatePage, levelIndexer, type RescoreOptions, type RescoreSummary } from './rescore.js';
export { syncCatalog, type CatalogSource, type CatalogSyncResult } from './catalog-sync.js';
export { FactValidator, pushFacts, type PushedFact, type FactPushProblem } from './fact-push.js';
export { toEngineInput, SCORED_KINDS } from './engine-input.js';
