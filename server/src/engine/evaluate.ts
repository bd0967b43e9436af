/**
 * Score one entity: every check's outcome (explaining itself) and its level on every track.
 * Pure: the clock, facts and exemptions are all passed in.
 */
import { pathReader, truthy, type EvalContext } from './jsonlogic.js';
import type { Definitions, LoadedCheck } from './load-definitions.js';
import type { CheckResult, EntityEvaluation, EntityInput, Exemption, Outcome, TrackDefinition, TrackLevel } from './types.js';

/**
 * The data a rule sees: `{ entity, <collector>: { <name>: data } }` — facts stay namespaced
 * by collector (fact id `github.repository` → `data.github.repository`).
 */
export function buildRuleData(input: EntityInput): Record<string, unknown> {
  const data: Record<string, unknown> = { entity: input.entity };
  for (const [id, fact] of Object.entries(input.facts)) {
    const segs = id.split('.');
    let node = data;
    for (const seg of segs.slice(0, -1)) {
      const next = node[seg];
      if (next === null || typeof next !== 'object' || Array.isArray(next)) node[seg] = {};
      node = node[seg] as Record<string, unknown>;
    }
    node[segs[segs.length - 1]] = fact.data;
  }
  return data;
}

/** Outcomes that let an entity through a level. `not-applicable` counts: a check that does not apply cannot hold anyone back. */
export function isSatisfied(outcome: Outcome | undefined): boolean {
  return outcome === 'pass' || outcome === 'exempt' || outcome === 'not-applicable';
}

/**
 * Evaluate every check and track for one entity.
 *
 * @example
 * ```ts
 * const evaluation = evaluateEntity(definitions, { ref, entity, facts }, exemptions, new Date());
 * evaluation.results[0]; // { checkId: 'default-branch-protected', outcome: 'fail',
 *                        //   message: 'github.repository.defaultBranch.protected was false', values: {…} }
 * evaluation.tracks[0];  // { trackId: 'basics', level: 'bronze', nextLevel: 'silver', missing: ['has-docs'] }
 * ```
 */
export function evaluateEntity(definitions: Definitions, input: EntityInput, exemptions: readonly Exemption[], now: Date): EntityEvaluation {
  const ctx: EvalContext = { nowMs: now.getTime() };
  const data = buildRuleData(input);
  const results: CheckResult[] = [];
  for (const check of definitions.checks.values()) {
    const exemption = findExemption(exemptions, input.ref, check.definition.id, ctx.nowMs);
    results.push(evaluateCheck(check, input, data, ctx, exemption));
  }
  const outcomes = new Map(results.map((r) => [r.checkId, r.outcome]));
  const tracks: TrackLevel[] = [];
  for (const track of definitions.tracks.values()) {
    if (track.appliesTo) {
      let applies: boolean;
      try {
        applies = truthy(track.appliesTo.evaluate(data, ctx));
      } catch {
        applies = false; // a track that cannot decide whether it applies scores nobody
      }
      if (!applies) continue;
    }
    tracks.push(computeTrackLevel(track.definition, outcomes));
  }
  return { ref: input.ref, definitionsVersion: definitions.version, results, tracks };
}

/** The unexpired exemption (latest expiry wins) for this entity and check, if any. */
export function findExemption(exemptions: readonly Exemption[], entityRef: string, checkId: string, nowMs: number): Exemption | undefined {
  let best: Exemption | undefined;
  for (const e of exemptions) {
    if (e.entityRef !== entityRef || e.checkId !== checkId) continue;
    const expires = Date.parse(e.expiresAt);
    if (!(expires > nowMs)) continue;
    if (!best || expires > Date.parse(best.expiresAt)) best = e;
  }
  return best;
}

/** Why the facts a check needs are not there ("fact x is missing…; fact y is stale…"), or null when they all are. */
function unavailable(input: EntityInput, facts: readonly string[]): string | null {
  let reasons: string | null = null;
  for (const id of facts) {
    const fact = input.facts[id];
    if (fact && !fact.stale) continue;
    const reason = fact ? `fact ${id} is stale (last collected ${fact.collectedAt})` : `fact ${id} is missing (never collected for this entity)`;
    reasons = reasons === null ? reason : `${reasons}; ${reason}`;
  }
  return reasons;
}

/** What evaluating a check needs beyond its rules, worked out once per loaded check. */
interface CheckPlan {
  /** Every root path the check reads (appliesTo's, then the rule's), without repeats, with a reader each. */
  paths: { path: string; read: (data: unknown) => unknown }[];
}

const plans = new WeakMap<LoadedCheck, CheckPlan>();

function planOf(check: LoadedCheck): CheckPlan {
  let plan = plans.get(check);
  if (!plan) {
    const paths = [...new Set([...(check.appliesTo?.rootPaths ?? []), ...check.rule.rootPaths])];
    plan = { paths: paths.map((path) => ({ path, read: pathReader(path) })) };
    plans.set(check, plan);
  }
  return plan;
}

/** Evaluate one check; never throws. */
export function evaluateCheck(
  check: LoadedCheck,
  input: EntityInput,
  data: unknown,
  ctx: EvalContext,
  exemption?: Exemption,
): CheckResult {
  const values: Record<string, unknown> = {};
  for (const { path, read } of planOf(check).paths) {
    const v = read(data);
    values[path] = v === undefined ? null : v;
  }
  const result = judge(check, input, data, ctx, values);
  if (exemption && (result.outcome === 'fail' || result.outcome === 'unknown' || result.outcome === 'error')) {
    return {
      checkId: result.checkId,
      outcome: 'exempt',
      message: `exempt until ${exemption.expiresAt} (${exemption.author}: ${exemption.reason}); otherwise ${result.outcome}: ${result.message}`,
      values,
      exemption: { reason: exemption.reason, author: exemption.author, expiresAt: exemption.expiresAt },
    };
  }
  return result;
}

/** A check's outcome and message before exemptions (a plain function: no closure per check on this hot path). */
function judge(check: LoadedCheck, input: EntityInput, data: unknown, ctx: EvalContext, values: Record<string, unknown>): CheckResult {
  const checkId = check.definition.id;
  if (check.appliesTo) {
    const missing = unavailable(input, check.appliesToFacts);
    if (missing) return { checkId, outcome: 'unknown', message: missing, values };
    let applies: unknown;
    try {
      applies = check.appliesTo.evaluate(data, ctx);
    } catch (e) {
      return { checkId, outcome: 'error', message: `appliesTo could not be evaluated: ${(e as Error).message}`, values };
    }
    if (!truthy(applies)) {
      const why = describeValues(values, check.appliesTo.rootPaths);
      return { checkId, outcome: 'not-applicable', message: why ? `does not apply: ${why}` : 'does not apply to this entity', values };
    }
  }
  const missing = unavailable(input, check.definition.facts);
  if (missing) return { checkId, outcome: 'unknown', message: missing, values };
  let value: unknown;
  try {
    value = check.rule.evaluate(data, ctx);
  } catch (e) {
    return { checkId, outcome: 'error', message: `the rule could not be evaluated: ${(e as Error).message}`, values };
  }
  const why = describeValues(values, check.rule.rootPaths);
  if (truthy(value)) return { checkId, outcome: 'pass', message: why || 'the rule held', values };
  return { checkId, outcome: 'fail', message: why || `the rule evaluated to ${formatValue(value)}`, values };
}

/** "github.repository.archived was true, entity.spec.type was \"service\"" */
function describeValues(values: Record<string, unknown>, paths: readonly string[]): string {
  let out = '';
  const shown = Math.min(paths.length, 4);
  for (let i = 0; i < shown; i++) out += `${i ? ', ' : ''}${paths[i]} was ${formatValue(values[paths[i]])}`;
  if (paths.length > 4) out += `, and ${paths.length - 4} more`;
  return out;
}

function formatValue(v: unknown): string {
  if (typeof v === 'boolean' || v === null) return String(v);
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  const s = v === undefined ? 'undefined' : JSON.stringify(v);
  return s.length > 80 ? `${s.slice(0, 77)}…` : s;
}

/**
 * The level an entity reaches on a track: the highest level whose checks, and the checks of
 * every level below it, are all satisfied (`pass`, `exempt` or `not-applicable`). Levels
 * are cumulative, so the result never skips a failing lower level.
 *
 * @example
 * ```ts
 * computeTrackLevel(track, new Map([['has-owner', 'pass'], ['has-docs', 'fail']]));
 * // { trackId: 'basics', level: 'bronze', nextLevel: 'silver', missing: ['has-docs'] }
 * ```
 */
export function computeTrackLevel(
  track: TrackDefinition,
  outcomes: ReadonlyMap<string, Outcome>,
  satisfied: (outcome: Outcome | undefined) => boolean = isSatisfied,
): TrackLevel {
  let reached = -1;
  for (let i = 0; i < track.levels.length; i++) {
    if (!track.levels[i].checks.every((id) => satisfied(outcomes.get(id)))) break;
    reached = i;
  }
  const next = track.levels[reached + 1];
  return {
    trackId: track.id,
    level: reached >= 0 ? track.levels[reached].id : null,
    nextLevel: next ? next.id : null,
    missing: next ? next.checks.filter((id) => !satisfied(outcomes.get(id))) : [],
  };
}
