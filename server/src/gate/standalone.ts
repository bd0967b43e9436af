/**
 * Standalone gate: judge a checkout with no Yardstick server. Definitions come from the
 * repository (`.yardstick/` or `checks/` + `tracks/`), entities from its `catalog-info.yaml`,
 * facts from what the checkout and the CI run can tell: the descriptor, the files present and
 * the test/coverage reports. Reads files only — no store, no network.
 *
 * There is no default-branch state to compare with, so the verdict is always `strict`.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { CATALOG_FILE_NAMES, loadCatalog } from '../catalog/index.js';
import { describeEntity } from '../collectors/catalog/collector.js';
import { parseReports, type ReportFiles } from '../collectors/ci/parse-reports.js';
import { factSchemas } from '../collectors/index.js';
import { readDefinitionsFolder } from '../definitions/read-folder.js';
import { formatProblems } from '../engine/index.js';
import type { EntityInput, FactSnapshot } from '../engine/types.js';
import { decideGate, entityPageUrl, gatedTrackIds, type GateSubject } from './decide.js';
import { renderMarkdown } from './render.js';
import { localFilesFact } from './repo-files.js';
import type { GateRequest, GateResponse } from './types.js';

const SCORED = new Set(['component', 'api', 'resource', 'system']);

/** The gate request's fields (see {@link GateRequest}), judged locally instead of by a server. */
export interface StandaloneOptions extends Pick<GateRequest, 'repo' | 'sha' | 'pullRequest' | 'baseRef' | 'entities' | 'tracks' | 'mode'> {
  /** The checkout's root. */
  workspace: string;
  /** Folder holding `checks/` and `tracks/`; default `.yardstick/` when present, else the workspace. */
  standardsPath?: string;
  reports?: ReportFiles;
  /** Where links point (default: the repository on github.com). */
  publicUrl?: string;
  now?: Date;
}

/** Thrown when the checkout cannot be judged (no definitions, no catalog file…); the message says what to fix. */
export class StandaloneError extends Error {}

export function findStandardsRoot(workspace: string, explicit?: string): string {
  if (explicit) {
    const root = path.resolve(workspace, explicit);
    if (!existsSync(root)) throw new StandaloneError(`standards-path "${explicit}" does not exist in the checkout`);
    return root;
  }
  const dot = path.join(workspace, '.yardstick');
  if (existsSync(path.join(dot, 'checks')) || existsSync(path.join(dot, 'tracks'))) return dot;
  return workspace;
}

/**
 * Judge the checkout.
 *
 * @example
 * ```ts
 * const verdict = await runStandaloneGate({ workspace: process.cwd(), repo: 'acme/api', sha, reports: { lcov: 'coverage/lcov.info' } });
 * ```
 */
export async function runStandaloneGate(options: StandaloneOptions): Promise<GateResponse> {
  const now = options.now ?? new Date();
  const root = findStandardsRoot(options.workspace, options.standardsPath);
  const { definitions, problems } = await readDefinitionsFolder(root, factSchemas());
  if (problems.length > 0) throw new StandaloneError(`invalid checks or tracks:\n${formatProblems(problems)}`);
  if (definitions.tracks.size === 0) {
    throw new StandaloneError(`no tracks found under ${path.relative(options.workspace, root) || '.'}: add tracks/*.json and checks/*.json, or set standards-path`);
  }

  const catalogFile = CATALOG_FILE_NAMES.map((n) => path.join(options.workspace, n)).find((f) => existsSync(f));
  if (!catalogFile) throw new StandaloneError(`no ${CATALOG_FILE_NAMES.join(' or ')} at the root of the checkout: standalone mode needs the entity to judge`);
  const { catalog, problems: catalogProblems } = await loadCatalog({ paths: [catalogFile] });
  const scored = catalog.entities.filter((e) => SCORED.has(e.entity.kind.toLowerCase()));
  let chosen = scored;
  if (options.entities?.length) {
    chosen = scored.filter((e) => options.entities!.includes(e.ref));
    const missing = options.entities.filter((r) => !chosen.some((e) => e.ref === r));
    if (missing.length > 0) throw new StandaloneError(`entity ${missing.join(', ')} is not in ${path.basename(catalogFile)} (it has: ${scored.map((e) => e.ref).join(', ') || 'none'})`);
  } else {
    const ofRepo = scored.filter((e) => (e.entity.metadata.annotations?.['github.com/project-slug'] ?? '').toLowerCase() === options.repo.toLowerCase());
    if (ofRepo.length > 0) chosen = ofRepo;
  }
  if (chosen.length === 0) {
    const why = catalogProblems.map((p) => p.message).join('; ');
    throw new StandaloneError(`no Component, API, Resource or System in ${path.basename(catalogFile)}${why ? ` (${why})` : ''}`);
  }

  const trackIds = options.tracks?.length ? options.tracks : gatedTrackIds(definitions);
  const unknown = trackIds.filter((id) => !definitions.tracks.has(id));
  if (unknown.length > 0) throw new StandaloneError(`unknown track ${unknown.join(', ')} (known: ${[...definitions.tracks.keys()].join(', ')})`);

  const collectedAt = now.toISOString();
  const shared: Record<string, FactSnapshot> = {};
  const add = (bag: Record<string, FactSnapshot>, id: string, data: unknown) => (bag[id] = { id, data, collectedAt, stale: false });
  add(shared, 'github.files', await localFilesFact(options.workspace));
  const reports = options.reports ?? {};
  if (reports.lcov || reports.cobertura || reports.junit) {
    for (const f of (await parseReports(reports)).facts) add(shared, f.id, f.data);
  }

  const subjects: GateSubject[] = chosen.map((e) => {
    const facts = { ...shared };
    add(facts, 'catalog.descriptor', describeEntity(e.ref, e.entity, catalog));
    const input: EntityInput = { ref: e.ref, entity: e.entity, facts };
    return { ref: e.ref, base: input, head: input };
  });
  const publicUrl = options.publicUrl;
  const link = (ref: string) => (publicUrl ? entityPageUrl(publicUrl, ref) : `https://github.com/${options.repo}`);
  const tracks = decideGate({ definitions, subjects, trackIds, exemptions: [], mode: 'strict', now, reportUrl: link });
  const passed = tracks.every((t) => t.passed);
  const notes = ['Standalone mode: judged from this checkout and its reports only (no server, no exemptions); every track is gated strictly.'];
  if (options.mode === 'ratchet') notes.push('mode "ratchet" needs the default branch\'s facts from a Yardstick server; used "strict" instead.');
  const response: GateResponse = {
    verdict: passed ? 'pass' : 'fail',
    passed,
    definitionsVersion: definitions.version,
    repo: options.repo.toLowerCase(),
    sha: options.sha.toLowerCase(),
    pullRequest: options.pullRequest ?? null,
    baseRef: options.baseRef ?? null,
    entities: chosen.map((e) => e.ref),
    tracks,
    reportUrl: link(tracks.find((t) => !t.passed)?.entityRef ?? chosen[0].ref),
    source: 'standalone',
    notes,
  };
  response.summaryMarkdown = renderMarkdown(response);
  return response;
}
