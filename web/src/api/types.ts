/**
 * Response shapes the dashboard reads: the API's published types, imported as types only
 * (the one thing `web/` may take from `server/`).
 */
export type {
  ApiOutcome as Outcome,
  CheckDetail,
  CheckList,
  CheckSummary,
  DailyDistribution,
  EntityFact,
  EntityFacts,
  EntityHistory,
  EntityLevel,
  EntityList,
  EntitySummary,
  ExemptionItem,
  ExemptionList,
  LevelCount,
  Overview,
  RefreshResponse,
  Scorecard,
  ScorecardCheck,
  ScorecardLevel,
  ScorecardTrack,
  TeamDetail,
  TeamList,
  TeamSummary,
  TeamTrend,
  TrackDetail,
  TrackDistribution,
  TrackList,
  TrackSummaryItem,
} from '../../../server/src/routes/api-types.js';
