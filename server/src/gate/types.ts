/**
 * The gate's wire contract: what CI sends to `POST /api/v1/gate` and what it gets back.
 * Shared by the server, the GitHub Action and `yardstick gate` (types only, no runtime code).
 */
import type { GateTrackVerdict } from '../engine/types.js';

/** One fact measured on the pull request (a CI report, the files of the PR's tree…). */
export interface GateFactInput {
  /** The entity it describes; absent → every gated entity of the repository. */
  entityRef?: string;
  /** Fact id, e.g. `ci.coverage`; validated against the collector's JSON Schema. */
  id: string;
  data: unknown;
}

/**
 * A request for a verdict on one commit of a pull request.
 *
 * @example
 * ```json
 * { "repo": "larkspur/payments-api", "sha": "3f9a1c0e2b7d…", "pullRequest": 42, "baseRef": "main",
 *   "facts": [{ "id": "ci.coverage", "data": { "line": 78.5 } }] }
 * ```
 */
export interface GateRequest {
  /** `owner/name`, matched against entities' `github.com/project-slug` annotation. */
  repo: string;
  /** The commit being judged (hex). */
  sha: string;
  pullRequest?: number;
  /** The branch the pull request merges into (informational; base facts are the default branch's). */
  baseRef?: string;
  /** Entity refs to gate; default: every scored entity whose project slug is `repo`. */
  entities?: string[];
  /** Track ids to gate; default: every track with a `gate`. */
  tracks?: string[];
  /** Overrides each track's gate mode. */
  mode?: 'strict' | 'ratchet';
  facts?: GateFactInput[];
}

/** A level of a track, as the renderers need it (names for people, checks for JUnit). */
export interface GateLevelInfo {
  id: string;
  name: string;
  checks: string[];
}

/** The verdict of one entity on one track, with what it takes to show it. */
export interface GateTrackResult extends GateTrackVerdict {
  trackName: string;
  entityTitle: string | null;
  levels: GateLevelInfo[];
  /** The entity's page on the Yardstick dashboard. */
  reportUrl: string;
}

/**
 * The answer to a gate request. `passed` is false as soon as one entity × track fails.
 *
 * @example
 * ```json
 * { "verdict": "fail", "passed": false, "definitionsVersion": "3f9a1c0e2b7d",
 *   "repo": "larkspur/payments-api", "sha": "3f9a1c0…", "pullRequest": 42,
 *   "tracks": [{ "entityRef": "component:default/payments-api", "trackId": "basics", "mode": "ratchet",
 *                "baseLevel": "gold", "headLevel": "silver", "requiredLevel": "silver", "passed": false,
 *                "newlyFailing": [{ "checkId": "coverage-80", "blocking": true, … }], … }],
 *   "reportUrl": "https://yardstick.example.com/entities/component/default/payments-api" }
 * ```
 */
export interface GateResponse {
  verdict: 'pass' | 'fail';
  passed: boolean;
  /** Version of the checks and tracks that judged (one snapshot per request). */
  definitionsVersion: string;
  repo: string;
  sha: string;
  pullRequest: number | null;
  baseRef: string | null;
  /** The entities gated. */
  entities: string[];
  tracks: GateTrackResult[];
  /** The dashboard page of the (first failing, else first) gated entity. */
  reportUrl: string;
  /** The same verdict as a Markdown job summary. */
  summaryMarkdown?: string;
  /** Id of the stored verdict (server mode only). */
  verdictId?: string;
  /** Where the verdict came from: a server, or the action's standalone evaluation. */
  source?: 'server' | 'standalone';
  /** Things the reader should know that did not change the verdict. */
  notes?: string[];
}
