/**
 * The pure half of the gate: given base and head inputs for each entity, evaluate both with
 * one definitions snapshot and judge every gated track. No I/O — the server and the action's
 * standalone mode both call it.
 */
import { evaluateEntity, gateTrack, type Definitions } from '../engine/index.js';
import type { EntityInput, Exemption } from '../engine/types.js';
import type { GateTrackResult } from './types.js';

export interface GateSubject {
  ref: string;
  /** Inputs with the default branch's facts. */
  base: EntityInput;
  /** Inputs with the pull request's facts laid over them. */
  head: EntityInput;
}

export interface DecideInput {
  definitions: Definitions;
  subjects: GateSubject[];
  /** Track ids to gate (already checked to exist). */
  trackIds: string[];
  exemptions: readonly Exemption[];
  mode?: 'strict' | 'ratchet';
  now: Date;
  /** Builds the dashboard link of an entity. */
  reportUrl: (ref: string) => string;
}

/** Tracks to gate by default: every track that declares a `gate`. */
export function gatedTrackIds(definitions: Definitions): string[] {
  return [...definitions.tracks.values()].filter((t) => t.definition.gate).map((t) => t.definition.id);
}

/**
 * Judge every subject on every track that applies to it (on the pull request's side).
 *
 * @example
 * ```ts
 * const tracks = decideGate({ definitions, subjects, trackIds: gatedTrackIds(definitions), exemptions, now, reportUrl });
 * const passed = tracks.every((t) => t.passed);
 * ```
 */
export function decideGate(input: DecideInput): GateTrackResult[] {
  const { definitions, now } = input;
  const out: GateTrackResult[] = [];
  for (const subject of input.subjects) {
    const mine = input.exemptions.filter((e) => e.entityRef === subject.ref);
    const base = evaluateEntity(definitions, subject.base, mine, now);
    const head = evaluateEntity(definitions, subject.head, mine, now);
    for (const trackId of input.trackIds) {
      const loaded = definitions.tracks.get(trackId);
      if (!loaded) continue;
      // A track that does not score this entity (its appliesTo) has nothing to gate.
      if (!head.tracks.some((t) => t.trackId === trackId)) continue;
      const track = loaded.definition;
      const verdict = gateTrack({ track, definitions, base, head, mode: input.mode, now });
      const title = subject.head.entity.metadata.title;
      out.push({
        ...verdict,
        trackName: track.name,
        entityTitle: typeof title === 'string' ? title : null,
        levels: track.levels.map((l) => ({ id: l.id, name: l.name, checks: [...l.checks] })),
        reportUrl: input.reportUrl(subject.ref),
      });
    }
  }
  return out;
}

/** `${publicUrl}/entities/<kind>/<namespace>/<name>` for a ref `kind:namespace/name`. */
export function entityPageUrl(publicUrl: string, ref: string): string {
  const m = /^([^:]+):([^/]+)\/(.+)$/.exec(ref);
  const [kind, ns, name] = m ? [m[1], m[2], m[3]] : ['component', 'default', ref];
  return `${publicUrl.replace(/\/+$/, '')}/entities/${[kind, ns, name].map(encodeURIComponent).join('/')}`;
}
