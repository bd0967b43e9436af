/**
 * Response shapes the dashboard reads. Provisional until the API publishes
 * `server/src/routes/api-types.ts`; then this file re-exports those types only.
 */

export type Outcome = 'pass' | 'fail' | 'unknown' | 'error' | 'not-applicable' | 'exempt';

export interface LevelInfo {
  id: string;
  name: string;
}

export interface ExemptionInfo {
  reason: string;
  author: string;
  expiresAt: string;
}

export interface TrackSummary {
  id: string;
  name: string;
  description: string;
  levels: (LevelInfo & { checks: string[] })[];
}

export interface OverviewResponse {
  tracks: {
    trackId: string;
    name: string;
    levels: LevelInfo[];
    /** Components per level; key null = no level reached. */
    distribution: { level: string | null; count: number }[];
    /** Share (0..1) of scored components at or above each level, per day. */
    trend: { day: string; atOrAbove: Record<string, number> }[];
  }[];
  failingChecks: { checkId: string; name: string; failing: number; total: number }[];
  teams: { name: string; title?: string; components: number; health: number }[];
  changes: { entityRef: string; name: string; trackId: string; from: string | null; to: string | null; at: string; direction: 'up' | 'down' }[];
}

export interface TeamListItem {
  name: string;
  title?: string;
  components: number;
  health: number;
}

export interface TeamResponse {
  name: string;
  title?: string;
  tracks: { id: string; name: string; levels: LevelInfo[] }[];
  components: { ref: string; kind: string; namespace: string; name: string; title?: string; type?: string; levels: Record<string, string | null> }[];
  failingChecks: { checkId: string; name: string; remediation: string; blocking: number; level: string; trackId: string; entities: string[] }[];
}

export interface TrendResponse {
  days: { day: string; byTrack: Record<string, Record<string, number>> }[];
}

export interface EntityListItem {
  ref: string;
  kind: string;
  namespace: string;
  name: string;
  title?: string | null;
  owner?: string | null;
  type?: string | null;
  lifecycle?: string | null;
  levels: Record<string, string | null>;
}

export interface EntityListResponse {
  items: EntityListItem[];
  total: number;
  limit: number;
  offset: number;
}

export interface ScorecardCheck {
  checkId: string;
  name: string;
  outcome: Outcome;
  message: string;
  values: Record<string, unknown>;
  remediation: string;
  exemption?: ExemptionInfo | null;
}

export interface ScorecardTrack {
  trackId: string;
  name: string;
  levels: LevelInfo[];
  level: string | null;
  nextLevel: string | null;
  missing: string[];
  checksByLevel: { level: string; name: string; checks: ScorecardCheck[] }[];
}

export interface ScorecardResponse {
  entity: { ref: string; kind: string; namespace: string; name: string; title?: string | null; owner?: string | null; type?: string | null; lifecycle?: string | null; description?: string | null };
  tracks: ScorecardTrack[];
  evaluatedAt?: string | null;
}

export interface EntityHistoryResponse {
  levels: { trackId: string; level: string | null; previousLevel: string | null; at: string }[];
}

export interface EntityFactsResponse {
  facts: { id: string; data: unknown; collectedAt: string; source: string; stale: boolean; ageSeconds?: number }[];
}

export interface CheckListItem {
  id: string;
  name: string;
  description: string;
  passRate: number | null;
  failing: number;
  tags?: string[];
}

export interface CheckResponse {
  id: string;
  name: string;
  description: string;
  rule: unknown;
  appliesTo?: unknown;
  facts: string[];
  remediation: string;
  passRate: number | null;
  failing: { ref: string; name: string; owner: string | null; outcome: Outcome; message: string }[];
  history: { day: string; pass: number; fail: number; unknown: number; error: number; exempt: number; notApplicable: number }[];
}

export interface TrackResponse extends TrackSummary {
  checks: { id: string; name: string }[];
  distribution: { level: string | null; count: number }[];
  trend: { day: string; counts: Record<string, number> }[];
}

export interface ExemptionItem {
  id: string;
  entityRef: string;
  checkId: string;
  reason: string;
  author: string;
  expiresAt: string;
  createdAt: string;
}
