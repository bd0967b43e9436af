/**
 * The response types of the HTTP API (`/api/v1`). The dashboard imports these — and nothing else —
 * from the server, so this file holds types only: no runtime imports of server code.
 */

export type ApiOutcome = 'pass' | 'fail' | 'unknown' | 'error' | 'not-applicable' | 'exempt';
export type ApiTokenScope = 'read' | 'ci' | 'admin';

/** Every error: `{ error: { code: 'YS_ERR_…', message, details? } }` (codes in docs/errors.md). */
export interface ApiError {
  error: { code: string; message: string; details?: unknown };
}

/** Where an entity stands on a track. `levelIndex`: 0 = first level, -1 = none reached. */
export interface EntityLevel {
  trackId: string;
  level: string | null;
  levelIndex: number;
  nextLevel: string | null;
}

export interface EntitySummary {
  ref: string;
  kind: string;
  namespace: string;
  name: string;
  title: string | null;
  owner: string | null;
  system: string | null;
  type: string | null;
  lifecycle: string | null;
  githubSlug: string | null;
  levels: EntityLevel[];
}

/** `GET /entities` */
export interface EntityList {
  total: number;
  limit: number;
  offset: number;
  items: EntitySummary[];
}

export interface ApiExemptionNote {
  reason: string;
  author: string;
  expiresAt: string;
}

/** One check's result on one entity, explaining itself. */
export interface ScorecardCheck {
  checkId: string;
  name: string;
  description: string;
  outcome: ApiOutcome;
  message: string;
  /** The value of every fact path the rule read. */
  values: Record<string, unknown>;
  remediation: string;
  effort: 'low' | 'medium' | 'high' | null;
  docsUrl: string | null;
  exemption: ApiExemptionNote | null;
  /** When the outcome last changed. */
  changedAt: string | null;
}

export interface ScorecardLevel {
  id: string;
  name: string;
  reached: boolean;
  checks: ScorecardCheck[];
}

export interface ApiGate {
  level: string;
  mode: 'strict' | 'ratchet';
  onUnknown: 'fail' | 'pass';
}

export interface ScorecardTrack {
  trackId: string;
  name: string;
  description: string;
  level: string | null;
  levelName: string | null;
  levelIndex: number;
  nextLevel: string | null;
  nextLevelName: string | null;
  /** Checks standing between the entity and the next level. */
  missing: string[];
  levels: ScorecardLevel[];
  gate: ApiGate | null;
}

/** `GET /entities/:kind/:namespace/:name` */
export interface Scorecard {
  entity: EntitySummary & { description: string | null };
  definitionsVersion: string | null;
  evaluatedAt: string | null;
  tracks: ScorecardTrack[];
  /** Results of checks that belong to no track the entity is scored on. */
  otherChecks: ScorecardCheck[];
}

/** `GET /entities/:kind/:namespace/:name/history` */
export interface EntityHistory {
  entityRef: string;
  levelChanges: { trackId: string; level: string | null; previousLevel: string | null; at: string }[];
  /** Changes of a check's outcome, newest first; an entity's first results are not changes. */
  outcomeChanges: { checkId: string; outcome: ApiOutcome; previousOutcome: ApiOutcome | null; message: string; at: string }[];
  /** One point per day and track from the daily roll-up (≤ 1,000 points, oldest first). */
  daily: { day: string; trackId: string; level: string | null; levelIndex: number }[];
}

export interface EntityFact {
  id: string;
  data: unknown;
  source: string;
  collectedAt: string;
  changedAt: string;
  ageSeconds: number;
  /** The fact's maximum age before checks reading it turn `unknown`; null = never stale. */
  maxAgeSeconds: number | null;
  stale: boolean;
  lastError: string | null;
  lastErrorAt: string | null;
}

/** `GET /entities/:kind/:namespace/:name/facts` */
export interface EntityFacts {
  entityRef: string;
  facts: EntityFact[];
}

/** `GET /entities/:kind/:namespace/:name/facts/history` */
export interface FactHistory {
  entityRef: string;
  items: { id: string; scope: string; data: unknown; source: string; collectedAt: string }[];
}

/** How many entities sit at one level (`levelId` null = no level reached). */
export interface LevelCount {
  levelId: string | null;
  name: string;
  count: number;
}

export interface TrackDistribution {
  trackId: string;
  name: string;
  total: number;
  /** Lowest first, starting with "none". */
  levels: LevelCount[];
}

/**
 * A team (Group). `health`: 0–100, the mean over its components and the tracks scoring them of
 * (levels reached ÷ levels in the track); null when nothing is scored.
 */
export interface TeamSummary {
  ref: string;
  name: string;
  title: string | null;
  components: number;
  health: number | null;
  tracks: TrackDistribution[];
}

/** `GET /teams` */
export interface TeamList {
  items: TeamSummary[];
}

export interface BlockingCheck {
  checkId: string;
  name: string;
  trackId: string;
  /** The level of the track that asks for this check (null when the track no longer lists it). */
  levelId: string | null;
  /** Entities this check keeps from their next level on this track. */
  blocks: number;
  entities: string[];
  remediation: string;
  effort: 'low' | 'medium' | 'high' | null;
}

/** `GET /teams/:name` */
export interface TeamDetail {
  team: TeamSummary;
  tracks: { trackId: string; name: string; levels: { id: string; name: string }[] }[];
  components: { ref: string; name: string; title: string | null; type: string | null; levels: EntityLevel[] }[];
  blockingChecks: BlockingCheck[];
}

export interface DailyDistribution {
  day: string;
  trackId: string;
  total: number;
  levels: LevelCount[];
  health: number | null;
}

/** `GET /teams/:name/trend` */
export interface TeamTrend {
  team: string;
  days: number;
  series: DailyDistribution[];
}

export interface OutcomeCounts {
  pass: number;
  fail: number;
  unknown: number;
  error: number;
  notApplicable: number;
  exempt: number;
}

export interface CheckSummary {
  id: string;
  name: string;
  description: string;
  tags: string[];
  effort: 'low' | 'medium' | 'high' | null;
  facts: string[];
  /** Where the check is used. */
  levels: { trackId: string; levelId: string }[];
  counts: OutcomeCounts;
  /** (pass + exempt) ÷ entities it applies to; null when it applies to none. */
  passRate: number | null;
}

/** `GET /checks` */
export interface CheckList {
  items: CheckSummary[];
}

/** `GET /checks/:id` */
export interface CheckDetail extends CheckSummary {
  definition: Record<string, unknown>;
  failing: { entityRef: string; owner: string | null; outcome: ApiOutcome; message: string; since: string }[];
  daily: (OutcomeCounts & { day: string; passRate: number | null })[];
}

export interface TrackSummaryItem {
  id: string;
  name: string;
  description: string;
  levels: { id: string; name: string; checks: { id: string; name: string }[] }[];
  gate: ApiGate | null;
  distribution: TrackDistribution;
}

/** `GET /tracks` */
export interface TrackList {
  items: TrackSummaryItem[];
}

/** `GET /tracks/:id` */
export interface TrackDetail extends TrackSummaryItem {
  daily: DailyDistribution[];
}

/** `GET /overview` */
export interface Overview {
  definitionsVersion: string;
  components: number;
  tracks: TrackDistribution[];
  /** Per day and track: the share (0–1) of scored entities at or above each level. */
  daily: { day: string; trackId: string; total: number; atOrAbove: { levelId: string; share: number }[] }[];
  mostFailingChecks: { checkId: string; name: string; failing: number }[];
  teams: { ref: string; name: string; title: string | null; components: number; health: number | null }[];
  levelMoves: {
    since: string;
    tracks: { trackId: string; ups: number; downs: number }[];
    recent: { entityRef: string; trackId: string; from: string | null; to: string | null; direction: 'up' | 'down'; at: string }[];
  };
}

/** `POST /facts` */
export interface FactPushResponse {
  written: number;
  changed: number;
  unchanged: number;
  /** Default-branch entities rescored. */
  rescored: number;
  levelChanges: number;
}

export interface ExemptionItem {
  id: string;
  entityRef: string;
  checkId: string;
  reason: string;
  author: string;
  expiresAt: string;
  createdAt: string;
  revokedAt: string | null;
  revokedBy: string | null;
  status: 'active' | 'expiring' | 'expired' | 'revoked';
}

/** `GET /exemptions` */
export interface ExemptionList {
  items: ExemptionItem[];
}

/** `GET /audit` */
export interface AuditList {
  items: { id: string; at: string; actor: string; action: string; target: string; details: unknown }[];
}

/** `POST /preview` */
export interface PreviewResponse {
  beforeVersion: string;
  afterVersion: string;
  entities: {
    ref: string;
    outcomeChanges: { checkId: string; before: ApiOutcome | null; after: ApiOutcome | null }[];
    levelChanges: { trackId: string; before: string | null; after: string | null; direction: 'up' | 'down' | 'same' }[];
  }[];
  summary: {
    trackId: string;
    levels: { levelId: string; before: number; after: number; dropped: string[]; gained: string[] }[];
    lines: string[];
  }[];
}

/** `GET /definitions` */
export interface DefinitionsInfo {
  version: string;
  checks: number;
  tracks: number;
}

/** `POST /definitions/reload` */
export interface DefinitionsReload {
  version: string;
  previousVersion: string;
  changed: boolean;
  rescored: number;
}

/** `POST /entities/:kind/:namespace/:name/refresh` */
export interface RefreshResponse {
  entityRef: string;
  levels: EntityLevel[];
}

/** `GET /badges/…/:track.json` (shields.io endpoint schema) */
export interface BadgeJson {
  schemaVersion: 1;
  label: string;
  message: string;
  color: string;
}

/** `GET /readyz` */
export interface Readiness {
  status: 'ready';
  database: 'ok';
  definitionsVersion: string;
}

/** `GET /me`: who is calling and what the token may do. */
export interface Me {
  kind: 'token' | 'anonymous';
  name: string | null;
  scope: 'read' | 'ci' | 'admin' | null;
  repos: string[];
  publicReads: boolean;
}
