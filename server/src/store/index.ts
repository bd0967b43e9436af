export { openStore, type Store, type OpenStoreOptions } from './store.js';
export { migrate, type MigrationDirection } from './migrate.js';
export type { StoredEntity, EntityFilter } from './entity-repository.js';
export type { FactWrite, StoredFact, FactWriteSummary } from './fact-repository.js';
export type { SaveContext } from './result-repository.js';
export { utcDay } from './result-repository.js';
export type { StoredExemption } from './exemption-repository.js';
export { canonicalJson, hashJson } from './canonical-json.js';
export type { GateVerdictRecord, StoredGateVerdict } from './gate-repository.js';
