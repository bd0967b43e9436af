/**
 * The gate service: load what the store knows about a repository's entities, lay the pull
 * request's facts over it, judge, remember the verdict. Only store reads/writes happen here;
 * judging is {@link decideGate}.
 */
import type { Definitions } from '../engine/index.js';
import { errors } from '../errors.js';
import { SCORED_KINDS, toEngineInput } from '../scoring/engine-input.js';
import type { FactValidator } from '../scoring/fact-push.js';
import type { Store, StoredEntity, StoredFact } from '../store/index.js';
import { decideGate, entityPageUrl, gatedTrackIds, type GateSubject } from './decide.js';
import { renderMarkdown } from './render.js';
import type { GateRequest, GateResponse } from './types.js';

export interface GateServiceDeps {
  store: Store;
  /** One snapshot for the whole request: a concurrent reload cannot mix versions. */
  definitions: Definitions;
  maxAges: Readonly<Record<string, number>>;
  factValidator: FactValidator;
  publicUrl: string;
  now?: Date;
}

const SLUG_ANNOTATION = 'github.com/project-slug';

/** Any failure of the store becomes a 503: CI must never get a verdict computed on missing data. */
async function fromStore<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw new errors.YS_ERR_STORE_UNAVAILABLE(`${what}: ${(err as Error).message}`);
  }
}

const slugOf = (e: StoredEntity) => (e.entity.metadata.annotations?.[SLUG_ANNOTATION] ?? '').toLowerCase();

/**
 * Judge one commit of a pull request.
 *
 * Throws `YS_ERR_GATE_NO_ENTITIES` (404) when no entity maps to the repository,
 * `YS_ERR_ENTITY_NOT_FOUND` / `YS_ERR_GATE_ENTITY_NOT_IN_REPO` / `YS_ERR_GATE_TRACK_UNKNOWN` /
 * `YS_ERR_FACT_INVALID` for a bad request, `YS_ERR_STORE_UNAVAILABLE` (503) when the store fails.
 *
 * @example
 * ```ts
 * const verdict = await runGate({ store, definitions: runtime.definitions, maxAges, factValidator, publicUrl },
 *   { repo: 'larkspur/payments-api', sha, pullRequest: 42, facts: [{ id: 'ci.coverage', data: { line: 71 } }] });
 * ```
 */
export async function runGate(deps: GateServiceDeps, request: GateRequest): Promise<GateResponse> {
  const { store, definitions } = deps;
  const now = deps.now ?? new Date();
  const repo = request.repo.toLowerCase();
  const sha = request.sha.toLowerCase();

  // One read for the entities, their default-branch facts, the facts already pushed for this
  // commit and their exemptions (four statements before). Nothing is written before the request
  // has been judged valid, so reading before the facts are checked changes nothing.
  const named = request.entities && request.entities.length > 0 ? [...new Set(request.entities)] : undefined;
  const context = await fromStore('reading entities, facts and exemptions', () =>
    store.gates.context(named ? { refs: named } : { githubSlug: repo }, `sha:${sha}`, now),
  );
  const entities = resolveEntities(context.entities, repo, named);
  const trackIds = resolveTracks(definitions, request.tracks);
  const refs = entities.map((e) => e.ref);

  // Check every pushed fact before judging or writing anything.
  const pushed = request.facts ?? [];
  const problems = deps.factValidator.validate(
    pushed.map((f) => ({ entityRef: f.entityRef ?? refs[0], id: f.id, data: f.data })),
    new Set(refs),
  );
  if (problems.length > 0) {
    const err = new errors.YS_ERR_FACT_INVALID(
      problems.map((p) => `${p.pointer}: ${p.message.replace(/^unknown entity (.*)$/, `entity $1 is not one of the gated entities (${refs.join(', ')})`)}`).join('; '),
    );
    throw err;
  }
  const overlayOf = (ref: string) => pushed.filter((f) => f.entityRef === undefined || f.entityRef === ref).map((f) => ({ id: f.id, data: f.data, collectedAt: now }));

  const subjects: GateSubject[] = entities.map((e) => {
    const base = context.baseFacts.get(e.ref) ?? [];
    // Facts pushed earlier for this commit (e.g. `yardstick report --sha`), then the request's own.
    const earlier = (context.scopedFacts.get(e.ref) ?? []).map((f: StoredFact) => ({ id: f.id, data: f.data, collectedAt: f.collectedAt }));
    return {
      ref: e.ref,
      base: toEngineInput(e, base, deps.maxAges, now),
      head: toEngineInput(e, base, deps.maxAges, now, [...earlier, ...overlayOf(e.ref)]),
    };
  });

  const tracks = decideGate({
    definitions,
    subjects,
    trackIds,
    exemptions: context.exemptions,
    mode: request.mode,
    now,
    reportUrl: (ref) => entityPageUrl(deps.publicUrl, ref),
  });
  const passed = tracks.every((t) => t.passed);
  const firstFailing = tracks.find((t) => !t.passed);
  const response: GateResponse = {
    verdict: passed ? 'pass' : 'fail',
    passed,
    definitionsVersion: definitions.version,
    repo,
    sha,
    pullRequest: request.pullRequest ?? null,
    baseRef: request.baseRef ?? null,
    entities: refs,
    tracks,
    reportUrl: entityPageUrl(deps.publicUrl, firstFailing?.entityRef ?? refs[0]),
    source: 'server',
    notes: trackIds.length === 0 ? ['No track declares a gate; nothing was judged.'] : undefined,
  };

  // The pull request's facts live under their own scopes; the default branch's ('') is never touched.
  // They are written with the verdict in one statement: one round trip, one commit, all or nothing.
  const scopes = [`sha:${sha}`, ...(request.pullRequest ? [`pr:${request.pullRequest}`] : [])];
  const writes = scopes.flatMap((scope) =>
    entities.flatMap((e) => overlayOf(e.ref).map((f) => ({ entityRef: e.ref, id: f.id, data: f.data, collectedAt: now, scope, source: 'gate' }))),
  );
  const recorded = await fromStore('recording the verdict', () =>
    store.gates.record({ repo, sha, pullRequest: request.pullRequest ?? null, passed, definitionsVersion: definitions.version, verdict: response }, writes),
  );
  response.verdictId = recorded.id;
  response.summaryMarkdown = renderMarkdown(response);
  return response;
}

/** The entities to gate, from what the store returned: the named ones (all found, all of `repo`), else the repository's scored ones. */
function resolveEntities(found: StoredEntity[], repo: string, named: string[] | undefined): StoredEntity[] {
  if (named) {
    const missing = named.filter((r) => !found.some((e) => e.ref === r));
    if (missing.length > 0) throw new errors.YS_ERR_ENTITY_NOT_FOUND(missing.join(', '));
    const foreign = found.filter((e) => slugOf(e) !== repo);
    if (foreign.length > 0) {
      throw new errors.YS_ERR_GATE_ENTITY_NOT_IN_REPO(
        foreign.map((e) => `${e.ref} has ${SLUG_ANNOTATION}: ${slugOf(e) || '(none)'}, not ${repo}`).join('; '),
      );
    }
    return found;
  }
  const scored = found.filter((e) => SCORED_KINDS.has(e.entity.kind.toLowerCase()));
  if (scored.length === 0) {
    throw new errors.YS_ERR_GATE_NO_ENTITIES(
      `no Component, API, Resource or System in the catalog has the annotation "${SLUG_ANNOTATION}: ${repo}". ` +
        `Add it to the entity's catalog-info.yaml (metadata.annotations) and let the catalog sync, or name the entities to gate.`,
    );
  }
  return scored;
}

function resolveTracks(definitions: Definitions, named: string[] | undefined): string[] {
  if (!named || named.length === 0) return gatedTrackIds(definitions);
  const unknown = named.filter((id) => !definitions.tracks.has(id));
  if (unknown.length > 0) {
    throw new errors.YS_ERR_GATE_TRACK_UNKNOWN(`${unknown.join(', ')} (known: ${[...definitions.tracks.keys()].join(', ') || 'none'})`);
  }
  return named;
}
