/**
 * The GitHub collector: repository settings, default-branch protection (classic rules and
 * rulesets), community files, security alerts and Actions health for every entity with a
 * `github.com/project-slug` annotation.
 *
 * Cost per sweep: one GraphQL query per `graphqlBatchSize` repositories, plus conditional REST
 * GETs (rulesets, CODEOWNERS errors, three alert lists, workflow runs) whose 304 answers cost no
 * rate limit. Entities that share a repository share its requests.
 */
import PQueue from 'p-queue';
import type { Entity } from '../../engine/types.js';
import type { CollectedFact, CollectionError, Collector, CollectorContext, CollectorRun } from '../collector.js';
import { createGithubClient, memoryCache, type GithubClient, type RequestCounts } from './client.js';
import { buildRepositoriesQuery, splitBatch, type GraphqlError, type GraphqlRepository } from './graphql-batch.js';
import {
  branchProtectionFact, filesFact, hasCodeowners, readActions, readBranchRules, readCodeownersErrors, readSecurity,
  repositoryFact, workflowFiles,
} from './repository-facts.js';
import { githubFactSchemas } from './schemas.js';
import { resolveGithubSettings } from './settings.js';

export type { GithubSettings } from './settings.js';

export const SLUG_ANNOTATION = 'github.com/project-slug';
const SLUG = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;

const FACT = {
  repository: 'github.repository',
  protection: 'github.branch-protection',
  files: 'github.files',
  security: 'github.security',
  actions: 'github.actions',
} as const;

/** What one sweep cost, for logs and benchmarks. */
export interface GithubSweepStats extends RequestCounts {
  entities: number;
  repositories: number;
  /** Counted (non-304, network) requests per distinct repository. */
  requestsPerRepository: number;
  graphqlBatches: number;
  errors: number;
  /** Pauses for the rate budget and their total length. */
  budgetPauses: number;
  budgetPausedMs: number;
  durationMs: number;
}

/** The GitHub collector, with the figures of its last sweep. */
export interface GithubCollector extends Collector {
  lastRunStats?: GithubSweepStats;
}

/** The `owner/name` slug an entity points at, or undefined. */
export function slugOf(entity: Entity): string | undefined {
  const raw = entity.metadata.annotations?.[SLUG_ANNOTATION];
  return typeof raw === 'string' ? raw.trim().replace(/\.git$/, '') : undefined;
}

/**
 * Make a GitHub collector. Settings come from `ctx.settings.github` (see {@link GithubSettings});
 * the ETag cache from `ctx.cache`, or an in-memory one kept by this collector when there is none.
 *
 * @example
 * ```ts
 * const run = await githubCollector.collect({
 *   entities, signal, log, cache,
 *   settings: { github: { apiUrl: 'https://api.github.com', token: process.env.GITHUB_TOKEN } },
 * });
 * console.log(githubCollector.lastRunStats?.requestsPerRepository);
 * ```
 */
export function createGithubCollector(): GithubCollector {
  const fallbackCache = memoryCache();
  const collector: GithubCollector = {
    id: 'github',
    version: 2,
    factSchemas: { ...githubFactSchemas },
    maxAgeSeconds: {
      [FACT.repository]: 2 * 86_400,
      [FACT.protection]: 2 * 86_400,
      [FACT.files]: 2 * 86_400,
      [FACT.security]: 2 * 86_400,
      [FACT.actions]: 2 * 86_400,
    },
    cadence: '17 * * * *',
    enabled: (s) => {
      const g = (s.github ?? s) as { token?: string; appId?: string };
      return Boolean(g.token || g.appId);
    },
    appliesTo: (entity) => Boolean(slugOf(entity)),
    async collect(ctx) {
      const { run, stats } = await sweep(ctx, ctx.cache ?? fallbackCache);
      collector.lastRunStats = stats;
      ctx.log.info('github sweep done', stats);
      return run;
    },
  };
  return collector;
}

export const githubCollector: GithubCollector = createGithubCollector();

async function sweep(ctx: CollectorContext, cache: NonNullable<CollectorContext['cache']>): Promise<{ run: CollectorRun; stats: GithubSweepStats }> {
  const started = Date.now();
  const facts: CollectedFact[] = [];
  const errors: CollectionError[] = [];
  const bySlug = new Map<string, string[]>();
  for (const { ref, entity } of ctx.entities) {
    const slug = slugOf(entity);
    if (!slug || !SLUG.test(slug)) {
      errors.push({ entityRef: ref, message: `Annotation ${SLUG_ANNOTATION} must be "owner/name", got ${JSON.stringify(slug ?? null)}` });
      continue;
    }
    const key = slug.toLowerCase();
    bySlug.set(key, [...(bySlug.get(key) ?? []), ref]);
  }
  const slugs = [...bySlug.keys()];
  const failAll = (list: string[], message: string, factId?: string) => {
    for (const slug of list) for (const entityRef of bySlug.get(slug) ?? []) errors.push({ entityRef, message, ...(factId ? { factId } : {}) });
  };
  const stats = (client?: GithubClient, batches = 0): GithubSweepStats => {
    const counts = client?.counts ?? { network: 0, notModified: 0, counted: 0, graphql: 0, rest: 0, secondaryLimits: 0, rateLimits: 0 };
    return {
      ...counts,
      entities: ctx.entities.length,
      repositories: slugs.length,
      requestsPerRepository: slugs.length ? Math.round((counts.counted / slugs.length) * 1000) / 1000 : 0,
      graphqlBatches: batches,
      errors: errors.length,
      budgetPauses: client?.budget.pauses ?? 0,
      budgetPausedMs: client?.budget.pausedMs ?? 0,
      durationMs: Date.now() - started,
    };
  };

  let client: GithubClient;
  try {
    client = await createGithubClient(resolveGithubSettings(ctx.settings), ctx, cache);
  } catch (err) {
    failAll(slugs, `GitHub collector not usable: ${(err as Error).message}`);
    return { run: { facts, errors }, stats: stats() };
  }
  const pauses0 = client.budget.pauses;
  const pausedMs0 = client.budget.pausedMs;

  const emit = (slug: string, id: string, data: unknown, collectedAt: Date) => {
    for (const entityRef of bySlug.get(slug) ?? []) facts.push({ entityRef, id, data, collectedAt });
  };
  const queue = new PQueue({ concurrency: client.settings.concurrency });
  const rest: Promise<void>[] = [];
  let batches = 0;

  for (let i = 0; i < slugs.length; i += client.settings.graphqlBatchSize) {
    if (ctx.signal.aborted) {
      failAll(slugs.slice(i), 'GitHub sweep aborted before this repository was read');
      break;
    }
    const batch = slugs.slice(i, i + client.settings.graphqlBatchSize);
    batches++;
    let result;
    try {
      const { query, variables } = buildRepositoriesQuery(batch);
      const data = await client.octokit.graphql<Record<string, unknown>>(query, variables);
      if (!data || typeof data !== 'object') throw new Error('malformed answer (no JSON data object)');
      result = splitBatch(batch, data);
    } catch (err) {
      const e = err as { name?: string; data?: Record<string, unknown>; errors?: GraphqlError[]; message: string };
      if (e.name === 'GraphqlResponseError' && e.data) result = splitBatch(batch, e.data, e.errors);
      else {
        failAll(batch, `GitHub GraphQL request failed: ${e.message}`);
        continue;
      }
    }
    for (const slug of batch) {
      const outcome = result.repositories.get(slug)!;
      if ('error' in outcome) {
        failAll([slug], outcome.error);
        continue;
      }
      rest.push(queue.add(() => collectRepository(client, slug, outcome.repo, outcome.partialErrors, emit, failAll)));
    }
  }
  await Promise.all(rest);
  // Answers arrive in any order; a stable order keeps runs comparable.
  const order = (a: { entityRef: string; id?: string; factId?: string }, b: typeof a) =>
    a.entityRef.localeCompare(b.entityRef) || (a.id ?? a.factId ?? '').localeCompare(b.id ?? b.factId ?? '');
  facts.sort(order);
  errors.sort(order);
  const s = stats(client, batches);
  return { run: { facts, errors }, stats: { ...s, budgetPauses: client.budget.pauses - pauses0, budgetPausedMs: client.budget.pausedMs - pausedMs0 } };
}

/** Which fact a GraphQL error below the repository field spoils. */
function factOfGraphqlPath(path: (string | number)[]): string {
  const field = String(path[1] ?? '');
  if (field === 'defaultBranchRef') return FACT.protection;
  if (['root', 'dotGithub', 'workflowsDir', 'docsDir'].includes(field)) return FACT.files;
  return FACT.repository;
}

async function collectRepository(
  client: GithubClient,
  slug: string,
  repo: GraphqlRepository,
  partialErrors: GraphqlError[],
  emit: (slug: string, id: string, data: unknown, at: Date) => void,
  failAll: (slugs: string[], message: string, factId?: string) => void,
): Promise<void> {
  const now = Date.now();
  const at = new Date(now);
  const spoiled = new Set(partialErrors.map((e) => factOfGraphqlPath(e.path ?? [])));
  for (const e of partialErrors) failAll([slug], `GitHub GraphQL: ${e.message}`, factOfGraphqlPath(e.path ?? []));
  const branch = repo.defaultBranchRef?.name ?? '';
  const workflows = workflowFiles(repo).length;

  const settle = async <T>(factId: string, work: () => Promise<T>): Promise<void> => {
    if (spoiled.has(factId)) return;
    try {
      emit(slug, factId, await work(), at);
    } catch (err) {
      failAll([slug], `GitHub ${factId} for ${slug}: ${describe(err)}`, factId);
    }
  };
  await Promise.all([
    settle(FACT.repository, async () => repositoryFact(repo, now)),
    // An empty repository has no default branch, hence no protection and no rules.
    settle(FACT.protection, async () => branchProtectionFact(repo.defaultBranchRef?.branchProtectionRule ?? null, branch ? await readBranchRules(client, slug, branch) : [])),
    settle(FACT.files, async () => filesFact(repo, hasCodeowners(repo) && branch ? await readCodeownersErrors(client, slug, branch) : null)),
    settle(FACT.security, () => readSecurity(client, slug)),
    settle(FACT.actions, () => readActions(client, slug, branch, workflows, now)),
  ]);
}

function describe(err: unknown): string {
  const e = err as { status?: number; message?: string };
  return e.status ? `HTTP ${e.status}: ${e.message}` : (e.message ?? String(err));
}
