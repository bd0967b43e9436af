/** Table types for Kysely. Column names are snake_case as in the migrations. */
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { CheckResult } from '../engine/types.js';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type GeneratedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T = unknown> = ColumnType<T, string, string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null, Date | string | null>;
type NullableJson<T = unknown> = ColumnType<T | null, string | null, string | null>;

export interface EntitiesTable {
  ref: string;
  kind: string;
  namespace: string;
  name: string;
  title: string | null;
  owner: string | null;
  system: string | null;
  type: string | null;
  lifecycle: string | null;
  github_slug: string | null;
  descriptor: Json;
  updated_at: GeneratedTimestamp;
}

export interface FactsTable {
  entity_ref: string;
  fact_id: string;
  scope: Generated<string>;
  data: Json;
  hash: string;
  source: string;
  collected_at: Timestamp;
  changed_at: Timestamp;
  last_error: string | null;
  last_error_at: NullableTimestamp;
}

export interface FactHistoryTable {
  id: Generated<string>;
  entity_ref: string;
  fact_id: string;
  scope: Generated<string>;
  data: Json;
  hash: string;
  source: string;
  collected_at: Timestamp;
}

/**
 * The results that need attention (fail, error, unknown, exempt), by check: what a check page lists
 * and where run-out exemptions are found. Every result, passes included, is in the entity's
 * `entity_evaluations.results` document.
 */
export interface ResultsByCheckTable {
  check_id: string;
  entity_ref: string;
  outcome: string;
  message: string;
  changed_at: Timestamp;
  exemption_expires_at: NullableTimestamp;
}

/** Entities per check and outcome, as signed deltas: sum them (a full rescore folds them). */
export interface CheckOutcomeCountsTable {
  check_id: string;
  outcome: string;
  entities: number;
}

export interface ResultHistoryTable {
  id: Generated<string>;
  entity_ref: string;
  check_id: string;
  outcome: string;
  /** The outcome before this change (a first result is not a change and has no row). */
  previous_outcome: string | null;
  message: string;
  definitions_version: string;
  at: Timestamp;
}

export interface TrackLevelsTable {
  entity_ref: string;
  track_id: string;
  level: string | null;
  level_index: number;
  next_level: string | null;
  missing: Json<string[]>;
  definitions_version: string;
  evaluated_at: Timestamp;
  changed_at: Timestamp;
}

export interface LevelHistoryTable {
  id: Generated<string>;
  entity_ref: string;
  track_id: string;
  level: string | null;
  previous_level: string | null;
  level_index: number;
  previous_level_index: number | null;
  at: Timestamp;
}

export interface RollupEntityTrackDailyTable {
  day: string;
  entity_ref: string;
  track_id: string;
  owner: string | null;
  level: string | null;
  level_index: number;
}

export interface RollupCheckDailyTable {
  day: string;
  check_id: string;
  owner: Generated<string>;
  pass: Generated<number>;
  fail: Generated<number>;
  unknown: Generated<number>;
  error: Generated<number>;
  not_applicable: Generated<number>;
  exempt: Generated<number>;
}

export interface ExemptionsTable {
  id: string;
  entity_ref: string;
  check_id: string;
  reason: string;
  author: string;
  expires_at: Timestamp;
  created_at: GeneratedTimestamp;
  revoked_at: NullableTimestamp;
  revoked_by: string | null;
}

export interface AuditLogTable {
  id: Generated<string>;
  at: GeneratedTimestamp;
  actor: string;
  action: string;
  target: string;
  details: Json;
}

export interface ApiTokensTable {
  id: string;
  name: string;
  hash: string;
  scope: string;
  repos: Json<string[]>;
  created_at: GeneratedTimestamp;
  last_used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
}

export interface JobsTable {
  id: Generated<string>;
  kind: string;
  dedupe_key: string | null;
  payload: Json;
  status: Generated<string>;
  run_at: GeneratedTimestamp;
  attempts: Generated<number>;
  max_attempts: Generated<number>;
  lease_until: NullableTimestamp;
  locked_by: string | null;
  last_error: string | null;
  created_at: GeneratedTimestamp;
  finished_at: NullableTimestamp;
}

export interface HttpCacheTable {
  key: string;
  value: Json;
  updated_at: GeneratedTimestamp;
}

export interface GateVerdictsTable {
  id: Generated<string>;
  repo: string | null;
  sha: string;
  pull_request: number | null;
  passed: boolean;
  definitions_version: string;
  verdict: Json;
  created_at: GeneratedTimestamp;
}

export interface RollupLevelCountsDailyTable {
  day: string;
  track_id: string;
  /** '' for entities without an owner; '*' for the whole organisation (the sum of the other rows). */
  owner: string;
  level_index: number;
  entities: number;
}

export interface EntityEvaluationsTable {
  entity_ref: string;
  definitions_version: string;
  evaluated_at: Timestamp;
  /** Fingerprint of the inputs last scored; null before it was recorded. */
  input_hash: string | null;
  /** Digest of the results and levels stored for it (see `ResultRepository.save`); null before it was recorded. */
  results_hash: string | null;
  /** When the inputs of the stored evaluation were read, by the database's clock; null when not recorded. */
  inputs_read_at: NullableTimestamp;
  /** The entity's latest results, one document (see `ResultDocument`); null before it was first scored. */
  results: NullableJson<StoredResults>;
}

/**
 * An entity's latest results as stored: the engine's results as they came, when they were written
 * (`at`), and since when each result's outcome holds (same order; null, or no list at all, for
 * results whose outcome began at `at` — an entity's first scoring stores no list).
 */
export interface StoredResults {
  at: string;
  since?: (string | null)[];
  results: CheckResult[];
}

/** Since when the `k`th stored result's outcome holds. */
export function sinceOf(stored: StoredResults, k: number): string {
  return stored.since?.[k] ?? stored.at;
}

export interface Database {
  entities: EntitiesTable;
  facts: FactsTable;
  fact_history: FactHistoryTable;
  results_by_check: ResultsByCheckTable;
  check_outcome_counts: CheckOutcomeCountsTable;
  result_history: ResultHistoryTable;
  track_levels: TrackLevelsTable;
  level_history: LevelHistoryTable;
  rollup_entity_track_daily: RollupEntityTrackDailyTable;
  rollup_check_daily: RollupCheckDailyTable;
  rollup_level_counts_daily: RollupLevelCountsDailyTable;
  entity_evaluations: EntityEvaluationsTable;
  exemptions: ExemptionsTable;
  audit_log: AuditLogTable;
  api_tokens: ApiTokensTable;
  jobs: JobsTable;
  http_cache: HttpCacheTable;
  gate_verdicts: GateVerdictsTable;
}

export type EntityRow = Selectable<EntitiesTable>;
export type NewEntity = Insertable<EntitiesTable>;
export type FactRow = Selectable<FactsTable>;
export type TrackLevelRow = Selectable<TrackLevelsTable>;
export type ExemptionRow = Selectable<ExemptionsTable>;
export type ExemptionUpdate = Updateable<ExemptionsTable>;
export type ApiTokenRow = Selectable<ApiTokensTable>;
export type JobRow = Selectable<JobsTable>;
