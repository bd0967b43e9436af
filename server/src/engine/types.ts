/**
 * The vocabulary of the engine: definitions (checks, tracks), what it reads (entities and
 * facts) and what it returns (outcomes, levels, gate verdicts). Pure data, no I/O.
 */

/** A JsonLogic expression, as written in a check file. */
export type JsonLogic = unknown;

/**
 * The closed set of outcomes of one check on one entity.
 *
 * - `pass` / `fail`: the rule evaluated to a truthy / falsy value.
 * - `unknown`: a fact the check reads is missing or stale — never a silent pass.
 * - `error`: the rule could not be evaluated (bad operator input, regex too large…).
 * - `not-applicable`: `appliesTo` is false for this entity.
 * - `exempt`: an unexpired exemption covers this entity and check; counts as a pass for levels.
 */
export type Outcome = 'pass' | 'fail' | 'unknown' | 'error' | 'not-applicable' | 'exempt';

export const OUTCOMES: readonly Outcome[] = ['pass', 'fail', 'unknown', 'error', 'not-applicable', 'exempt'];

/**
 * A check, as loaded from `checks/<id>.json`.
 *
 * @example
 * ```json
 * { "id": "has-owner", "name": "Has an owner", "description": "…",
 *   "facts": ["catalog.descriptor"],
 *   "rule": { "!!": [{ "var": "catalog.descriptor.owner" }] },
 *   "remediation": "Set spec.owner in catalog-info.yaml." }
 * ```
 */
export interface CheckDefinition {
  id: string;
  name: string;
  description: string;
  /** Fact ids the rule reads, e.g. `github.repository`. Every `var` must resolve inside one of them (or `entity`). */
  facts: string[];
  /** JsonLogic over the same data as `rule`; false → `not-applicable`. Absent → applies to every entity. */
  appliesTo?: JsonLogic;
  rule: JsonLogic;
  remediation: string;
  /** Rough cost of the fix, shown next to the remediation. */
  effort?: 'low' | 'medium' | 'high';
  tags?: string[];
  /** Link to longer documentation. */
  docsUrl?: string;
}

/** One level of a track: a name and the checks an entity must pass (on top of every lower level's). */
export interface LevelDefinition {
  id: string;
  name: string;
  checks: string[];
}

/** How a pull request is judged on a track. */
export interface GateDefinition {
  /** The minimum level (a level id) a pull request must keep. */
  level: string;
  /** `strict`: must be at `level` with the PR's facts. `ratchet`: fail only on checks that pass on base and fail on the PR. */
  mode: 'strict' | 'ratchet';
  /** What an `unknown` outcome does to the verdict. */
  onUnknown: 'fail' | 'pass';
}

/**
 * A track, as loaded from `tracks/<id>.json`: ordered levels, lowest first.
 *
 * @example
 * ```json
 * { "id": "basics", "name": "Basics", "description": "…",
 *   "levels": [ { "id": "bronze", "name": "Bronze", "checks": ["has-owner"] },
 *               { "id": "silver", "name": "Silver", "checks": ["has-docs"] } ],
 *   "gate": { "level": "bronze", "mode": "ratchet", "onUnknown": "pass" } }
 * ```
 */
export interface TrackDefinition {
  id: string;
  name: string;
  description: string;
  /** Optional JsonLogic deciding which entities the track scores (default: all). */
  appliesTo?: JsonLogic;
  levels: LevelDefinition[];
  gate?: GateDefinition;
}

/** A Backstage catalog entity (the parts Yardstick reads). */
export interface Entity {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    title?: string;
    description?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    tags?: string[];
    links?: { url: string; title?: string; icon?: string; type?: string }[];
    [key: string]: unknown;
  };
  spec?: Record<string, unknown>;
  relations?: unknown[];
}

/** One stored fact as the engine sees it. */
export interface FactSnapshot {
  /** Fact id, `<collector>.<name>`, e.g. `github.repository`. */
  id: string;
  data: unknown;
  collectedAt: string;
  /** True when older than the fact's maximum age: checks reading it become `unknown`. */
  stale: boolean;
}

/** Everything the engine needs to score one entity. */
export interface EntityInput {
  ref: string;
  entity: Entity;
  facts: Record<string, FactSnapshot>;
}

/** An exemption: this entity need not pass this check until `expiresAt`. */
export interface Exemption {
  id?: string;
  entityRef: string;
  checkId: string;
  reason: string;
  author: string;
  expiresAt: string;
  createdAt?: string;
}

/**
 * The result of one check on one entity, explaining itself.
 *
 * @example
 * `{ checkId: "default-branch-protected", outcome: "fail",
 *    message: "github.branch-protection.enabled was false",
 *    values: { "github.branch-protection.enabled": false } }`
 */
export interface CheckResult {
  checkId: string;
  outcome: Outcome;
  /** One readable sentence: why this outcome. */
  message: string;
  /** The value of every path the rule read (missing paths as `null`). */
  values: Record<string, unknown>;
  exemption?: Pick<Exemption, 'reason' | 'author' | 'expiresAt'>;
}

/** Where an entity stands on one track. */
export interface TrackLevel {
  trackId: string;
  /** Highest level reached, or null when even the first is not. */
  level: string | null;
  /** The next level up, or null at the top. */
  nextLevel: string | null;
  /** Check ids standing between the entity and `nextLevel` (not passing or exempt). */
  missing: string[];
}

/** The full evaluation of one entity against a set of definitions. */
export interface EntityEvaluation {
  ref: string;
  definitionsVersion: string;
  results: CheckResult[];
  tracks: TrackLevel[];
}

/** Verdict of the gate for one entity on one track. */
export interface GateTrackVerdict {
  entityRef: string;
  trackId: string;
  mode: 'strict' | 'ratchet';
  requiredLevel: string;
  baseLevel: string | null;
  headLevel: string | null;
  passed: boolean;
  /** Checks that pass (or are exempt) on base and do not pass with the pull request. */
  newlyFailing: GateCheck[];
  /** Checks failing on both base and pull request (legacy debt). */
  stillFailing: GateCheck[];
  /** Checks that went from not passing to passing. */
  fixed: string[];
  reason: string;
}

export interface GateCheck {
  checkId: string;
  name: string;
  outcome: Outcome;
  baseOutcome: Outcome;
  message: string;
  remediation: string;
  /** True when this check decides the verdict (blocks the merge). */
  blocking: boolean;
}

/** The text of one definition file, as read from disk or sent by the preview API. */
export interface DefinitionFile {
  /** Path relative to the standards repo, e.g. `checks/has-owner.json`. */
  file: string;
  text: string;
}

/**
 * One reason a definition file is rejected.
 *
 * @example
 * `{ file: "checks/foo.json", pointer: "/rule/var",
 *    message: 'unknown fact path "github.repository.archivd" (did you mean "archived"?)' }`
 */
export interface DefinitionProblem {
  file: string;
  /** JSON pointer (RFC 6901) into the file; `""` for the whole file. */
  pointer: string;
  message: string;
}
