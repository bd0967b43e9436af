/**
 * The pull-request gate: compare an entity's evaluation on the base branch with the one
 * using the pull request's facts, and decide whether the track's bar still holds.
 */
import { computeTrackLevel, isSatisfied } from './evaluate.js';
import type { Definitions } from './load-definitions.js';
import type { EntityEvaluation, GateCheck, GateDefinition, GateTrackVerdict, Outcome, TrackDefinition } from './types.js';

export interface GateTrackInput {
  track: TrackDefinition;
  definitions: Definitions;
  /** Evaluation with the default branch's facts. */
  base: EntityEvaluation;
  /** Evaluation with the pull request's facts. */
  head: EntityEvaluation;
  /** Overrides `track.gate.mode` (e.g. a repository opting into strict). */
  mode?: GateDefinition['mode'];
  /** Reserved for time-dependent policy; outcomes already carry exemption expiry. */
  now?: Date;
}

/** Used when a track has no `gate`: keep the first level, no regressions, unknown blocks. */
export const DEFAULT_GATE = { mode: 'ratchet', onUnknown: 'fail' } as const;

/**
 * Judge one entity on one track.
 *
 * - `strict`: passes iff the head reaches the gate level. Blocking: every check of that level
 *   and the levels below it that does not pass on head.
 * - `ratchet`: passes iff no check of the track — in any level, not only up to the gate
 *   level — is satisfied on base and not on head. Legacy failures (`stillFailing`) never block.
 *
 * "Satisfied" is `pass`, `exempt` or `not-applicable`; `unknown` counts as satisfied only
 * when `onUnknown` is `pass`, on both sides. `baseLevel`/`headLevel` are computed the same
 * way, so they can differ from the plain evaluation's levels when `onUnknown` is `pass`.
 *
 * @example
 * ```ts
 * const verdict = gateTrack({ track, definitions, base, head });
 * if (!verdict.passed) core.setFailed(verdict.reason);
 * ```
 */
export function gateTrack(input: GateTrackInput): GateTrackVerdict {
  const { track, definitions, base, head } = input;
  const gate: GateDefinition = {
    level: track.gate?.level ?? track.levels[0]?.id ?? '',
    mode: input.mode ?? track.gate?.mode ?? DEFAULT_GATE.mode,
    onUnknown: track.gate?.onUnknown ?? DEFAULT_GATE.onUnknown,
  };
  const satisfied = (o: Outcome | undefined) => isSatisfied(o) || (o === 'unknown' && gate.onUnknown === 'pass');
  const outcomesOf = (e: EntityEvaluation) => new Map<string, Outcome>(e.results.map((r) => [r.checkId, r.outcome]));
  const baseOutcomes = outcomesOf(base);
  const headOutcomes = outcomesOf(head);
  const headMessages = new Map(head.results.map((r) => [r.checkId, r.message]));
  const requiredIdx = track.levels.findIndex((l) => l.id === gate.level);
  const baseLevel = computeTrackLevel(track, baseOutcomes, satisfied).level;
  const headLevel = computeTrackLevel(track, headOutcomes, satisfied).level;
  const verdict: GateTrackVerdict = {
    entityRef: head.ref,
    trackId: track.id,
    mode: gate.mode,
    requiredLevel: gate.level,
    baseLevel,
    headLevel,
    passed: true,
    newlyFailing: [],
    stillFailing: [],
    fixed: [],
    reason: '',
  };
  const levelName = (id: string | null) => (id === null ? 'no level' : (track.levels.find((l) => l.id === id)?.name ?? id));

  if (!head.tracks.some((t) => t.trackId === track.id)) {
    verdict.reason = `${track.name} does not apply to ${head.ref}; nothing to gate.`;
    return verdict;
  }

  track.levels.forEach((level, levelIdx) => {
    for (const checkId of level.checks) {
      const b = baseOutcomes.get(checkId) ?? 'unknown';
      const h = headOutcomes.get(checkId) ?? 'unknown';
      const bOk = satisfied(b);
      const hOk = satisfied(h);
      if (!bOk && hOk) verdict.fixed.push(checkId);
      if (hOk) continue;
      const def = definitions.checks.get(checkId)?.definition;
      const blocking = gate.mode === 'strict' ? levelIdx <= requiredIdx : bOk;
      const entry: GateCheck = {
        checkId,
        name: def?.name ?? checkId,
        outcome: h,
        baseOutcome: b,
        message: headMessages.get(checkId) ?? 'no result for this check with the pull request',
        remediation: def?.remediation ?? '',
        blocking,
      };
      (bOk ? verdict.newlyFailing : verdict.stillFailing).push(entry);
    }
  });

  const blocking = [...verdict.newlyFailing, ...verdict.stillFailing].filter((c) => c.blocking);
  verdict.passed = blocking.length === 0;
  const list = (checks: GateCheck[]) =>
    checks
      .slice(0, 3)
      .map((c) => `"${c.name}" (${c.outcome}: ${c.message})${c.remediation ? ` — fix: ${c.remediation}` : ''}`)
      .join('; ') + (checks.length > 3 ? `; and ${checks.length - 3} more` : '');

  if (gate.mode === 'strict') {
    verdict.reason = verdict.passed
      ? `${head.ref} is at ${levelName(headLevel)} on ${track.name} (required: ${levelName(gate.level)}).`
      : `${track.name} requires ${levelName(gate.level)}, but with this pull request ${head.ref} is at ${levelName(headLevel)}. Fix ${list(blocking)}.`;
  } else {
    const debt = verdict.stillFailing.length;
    verdict.reason = verdict.passed
      ? `No check on ${track.name} regressed for ${head.ref}${debt ? ` (${debt} check${debt === 1 ? ' was' : 's were'} already failing on the default branch and do${debt === 1 ? 'es' : ''} not block)` : ''}.`
      : `This pull request breaks ${blocking.length} check${blocking.length === 1 ? '' : 's'} on ${track.name} that pass${blocking.length === 1 ? 'es' : ''} on the default branch: ${list(blocking)}.`;
  }
  return verdict;
}
