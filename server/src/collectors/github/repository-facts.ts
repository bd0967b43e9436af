/**
 * Turning GitHub answers into the five github.* facts. The mapping functions are pure; the
 * `read*` functions make the REST calls GraphQL cannot replace, each a conditional GET.
 */
import type { GithubClient } from './client.js';
import { RequestError } from './client.js';
import type { GraphqlProtectionRule, GraphqlRepository } from './graphql-batch.js';

const DAY_MS = 86_400_000;

/** Whole days: a fact that changes only when the day count does keeps history rows rare. */
export function ageInDays(iso: string | null | undefined, now: number): number | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isFinite(t) ? Math.max(0, Math.floor((now - t) / DAY_MS)) : null;
}

export function repositoryFact(repo: GraphqlRepository, now: number) {
  const oldest = repo.pullRequests.nodes[0]?.createdAt;
  return {
    visibility: repo.visibility.toLowerCase() as 'public' | 'private' | 'internal',
    archived: repo.isArchived,
    defaultBranch: repo.defaultBranchRef?.name ?? '',
    topics: repo.repositoryTopics.nodes.map((n) => n.topic.name),
    license: repo.licenseInfo ? (repo.licenseInfo.spdxId ?? repo.licenseInfo.key) : null,
    description: repo.description,
    pushedAt: repo.pushedAt,
    openPullRequests: repo.pullRequests.totalCount,
    oldestPullRequestAgeDays: repo.pullRequests.totalCount > 0 ? ageInDays(oldest, now) : null,
  };
}

const names = (t: { entries: { name: string }[] } | null) => (t ? t.entries.map((e) => e.name) : []);
const has = (list: string[], re: RegExp) => list.some((n) => re.test(n));

/** Workflow file names under `.github/workflows` (`.yml` / `.yaml`). */
export function workflowFiles(repo: GraphqlRepository): string[] {
  return names(repo.workflowsDir).filter((n) => /\.ya?ml$/i.test(n)).sort();
}

/** Where GitHub looks for CODEOWNERS: `.github/`, the root, `docs/`. */
export function hasCodeowners(repo: GraphqlRepository): boolean {
  return [names(repo.dotGithub), names(repo.root), names(repo.docsDir)].some((l) => l.includes('CODEOWNERS'));
}

export function filesFact(repo: GraphqlRepository, codeownersErrors: number | null) {
  const root = names(repo.root);
  const gh = names(repo.dotGithub);
  const docs = names(repo.docsDir);
  const anywhere = [...root, ...gh, ...docs];
  return {
    readme: has(anywhere, /^readme(\.|$)/i),
    codeowners: hasCodeowners(repo),
    codeownersErrors,
    license: has(root, /^(licen[cs]e|copying)(\.|$)/i),
    securityPolicy: has(anywhere, /^security(\.|$)/i),
    contributing: has(anywhere, /^contributing(\.|$)/i),
    dependabot: has(gh, /^dependabot\.ya?ml$/i),
    renovate: has(root, /^(renovate\.json5?|\.renovaterc(\.json5?)?)$/i) || has(gh, /^renovate\.json5?$/i),
    workflows: workflowFiles(repo),
  };
}

/** A rule from `GET /repos/{o}/{r}/rules/branches/{branch}`, reduced to what the fact reads. */
export interface BranchRule {
  type: string;
  parameters?: Record<string, unknown>;
}

export function branchProtectionFact(rule: GraphqlProtectionRule | null, rules: BranchRule[]) {
  const pr = rules.filter((r) => r.type === 'pull_request').map((r) => r.parameters ?? {});
  const checks = rules.filter((r) => r.type === 'required_status_checks').map((r) => r.parameters ?? {});
  const ruleTypes = new Set(rules.map((r) => r.type));
  const fromRulesets = rules.length > 0;
  const source = rule && fromRulesets ? 'both' : rule ? 'branch-protection' : fromRulesets ? 'rulesets' : 'none';
  const contexts = new Set<string>();
  for (const c of rule?.requiredStatusCheckContexts ?? []) if (c) contexts.add(c);
  for (const p of checks) {
    for (const c of (p.required_status_checks as { context?: string }[] | undefined) ?? []) if (c.context) contexts.add(c.context);
  }
  const reviewsFromRules = Math.max(0, ...pr.map((p) => Number(p.required_approving_review_count ?? 0)));
  const reviewsFromRule = rule?.requiresApprovingReviews ? (rule.requiredApprovingReviewCount ?? 1) : 0;
  return {
    enabled: source !== 'none',
    source,
    requiredReviews: Math.max(reviewsFromRule, reviewsFromRules),
    dismissStaleReviews: Boolean(rule?.dismissesStaleReviews) || pr.some((p) => p.dismiss_stale_reviews_on_push === true),
    requireCodeOwnerReviews: Boolean(rule?.requiresCodeOwnerReviews) || pr.some((p) => p.require_code_owner_review === true),
    requiredStatusChecks: [...contexts].sort(),
    strictStatusChecks: Boolean(rule?.requiresStatusChecks && rule.requiresStrictStatusChecks) || checks.some((p) => p.strict_required_status_checks_policy === true),
    // Rulesets' bypass lists need admin rights to read; only classic protection says this reliably.
    enforceAdmins: Boolean(rule?.isAdminEnforced),
    allowForcePushes: !ruleTypes.has('non_fast_forward') && (rule ? rule.allowsForcePushes : true),
    allowDeletions: !ruleTypes.has('deletion') && (rule ? rule.allowsDeletions : true),
    requireLinearHistory: Boolean(rule?.requiresLinearHistory) || ruleTypes.has('required_linear_history'),
    requireSignedCommits: Boolean(rule?.requiresCommitSignatures) || ruleTypes.has('required_signatures'),
  };
}

// ------------------------------------------------------------------ REST reads

function asArray(data: unknown, what: string): unknown[] {
  if (!Array.isArray(data)) throw new Error(`unexpected answer for ${what} (not a JSON array)`);
  return data;
}

function asObject(data: unknown, what: string): Record<string, unknown> {
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new Error(`unexpected answer for ${what} (not a JSON object)`);
  return data as Record<string, unknown>;
}

const MAX_PAGES = 20;

/** Follow `Link: rel="next"` through the cache, concatenating each page's projection. */
async function readAll<T>(client: GithubClient, route: string, params: Record<string, unknown>, project: (data: unknown) => T[]): Promise<T[]> {
  const out: T[] = [];
  let page = await client.get(route, params, project);
  out.push(...page.value);
  for (let n = 1; page.next && n < MAX_PAGES; n++) {
    page = await client.get(`GET ${page.next}`, {}, project);
    out.push(...page.value);
  }
  return out;
}

function split(slug: string) {
  const [owner, repo] = slug.split('/');
  return { owner, repo };
}

/** Active rules on a branch, from every ruleset (repository and organisation). */
export async function readBranchRules(client: GithubClient, slug: string, branch: string): Promise<BranchRule[]> {
  try {
    return await readAll(client, 'GET /repos/{owner}/{repo}/rules/branches/{branch}', { ...split(slug), branch, per_page: 100 }, (data) =>
      asArray(data, 'branch rules').map((r) => {
        const rule = asObject(r, 'branch rule');
        return { type: String(rule.type), ...(rule.parameters ? { parameters: rule.parameters as Record<string, unknown> } : {}) };
      }),
    );
  } catch (err) {
    // Servers without rulesets (older GHES) or tokens without access: no rules to report.
    if (err instanceof RequestError && (err.status === 404 || err.status === 403)) return [];
    throw err;
  }
}

/** Number of CODEOWNERS syntax errors on the default branch; null when there is no file to check. */
export async function readCodeownersErrors(client: GithubClient, slug: string, ref: string): Promise<number | null> {
  try {
    const page = await client.get('GET /repos/{owner}/{repo}/codeowners/errors', { ...split(slug), ref }, (data) => {
      const errors = asObject(data, 'codeowners errors').errors;
      return Array.isArray(errors) ? errors.length : 0;
    });
    return page.value;
  } catch (err) {
    if (err instanceof RequestError && err.status === 404) return null;
    throw err;
  }
}

type Severity = 'critical' | 'high' | 'medium' | 'low';
export interface SeverityCounts {
  critical: number;
  high: number;
  medium: number;
  low: number;
  total: number;
}

function countSeverities(list: (string | null | undefined)[]): SeverityCounts {
  const c: SeverityCounts = { critical: 0, high: 0, medium: 0, low: 0, total: 0 };
  for (const s of list) {
    c.total++;
    const level: Severity = s === 'critical' || s === 'high' || s === 'medium' || s === 'low' ? s : s === 'moderate' ? 'medium' : 'low';
    c[level]++;
  }
  return c;
}

/** 403/404 from an alerts endpoint: the feature is off or the token may not read it — a fact, not an error. */
function unavailable(err: unknown): 'disabled' | 'no-access' | undefined {
  if (!(err instanceof RequestError) || (err.status !== 403 && err.status !== 404)) return undefined;
  if (/disabled|not enabled|no analysis found|advanced security must be enabled/i.test(err.message)) return 'disabled';
  return err.status === 404 ? 'disabled' : 'no-access';
}

const ALERTS = { state: 'open', per_page: 100 };

export async function readSecurity(client: GithubClient, slug: string) {
  const p = split(slug);
  const dependabot = readAll(client, 'GET /repos/{owner}/{repo}/dependabot/alerts', { ...p, ...ALERTS }, (data) =>
    asArray(data, 'Dependabot alerts').map((a) => {
      const alert = a as { security_advisory?: { severity?: string }; security_vulnerability?: { severity?: string } };
      return alert.security_advisory?.severity ?? alert.security_vulnerability?.severity ?? null;
    }),
  ).then((list) => ({ enabled: true, open: countSeverities(list) }));
  const codeScanning = readAll(client, 'GET /repos/{owner}/{repo}/code-scanning/alerts', { ...p, ...ALERTS }, (data) =>
    asArray(data, 'code scanning alerts').map((a) => {
      const rule = (a as { rule?: { security_severity_level?: string | null; severity?: string | null } }).rule ?? {};
      if (rule.security_severity_level) return rule.security_severity_level;
      // Non-security rules only carry error/warning/note.
      return rule.severity === 'error' ? 'high' : rule.severity === 'warning' ? 'medium' : 'low';
    }),
  ).then((list) => ({ enabled: true, open: countSeverities(list) }));
  const secretScanning = readAll(client, 'GET /repos/{owner}/{repo}/secret-scanning/alerts', { ...p, ...ALERTS }, (data) =>
    asArray(data, 'secret scanning alerts').map(() => 1),
  ).then((list) => ({ enabled: true, open: list.length }));
  const off = <T>(work: Promise<T>, empty: T) =>
    work.catch((err) => {
      const reason = unavailable(err);
      if (!reason) throw err;
      return { ...empty, enabled: false, reason };
    });
  const none = { critical: 0, high: 0, medium: 0, low: 0, total: 0 };
  const [d, c, s] = await Promise.all([
    off(dependabot, { enabled: false, open: none }),
    off(codeScanning, { enabled: false, open: none }),
    off(secretScanning, { enabled: false, open: 0 }),
  ]);
  return { dependabot: d, codeScanning: c, secretScanning: s };
}

interface RunSummary {
  conclusion: string | null;
  startedAt: string | null;
  updatedAt: string | null;
  createdAt: string | null;
}

function summariseRuns(data: unknown): RunSummary[] {
  const runs = asObject(data, 'workflow runs').workflow_runs;
  return asArray(runs, 'workflow runs').map((r) => {
    const run = r as Record<string, string | null>;
    return { conclusion: run.conclusion ?? null, startedAt: run.run_started_at ?? run.created_at ?? null, updatedAt: run.updated_at ?? null, createdAt: run.created_at ?? null };
  });
}

/** Conclusions that say nothing about the health of the build. */
const NEUTRAL = new Set(['skipped', 'neutral']);

export async function readActions(client: GithubClient, slug: string, branch: string, workflows: number, now: number) {
  const empty = { runs: 0, successRate: null, medianDurationSeconds: null, lastSuccessAgeDays: null, lastRunAt: null, workflows };
  if (workflows === 0 || !branch) return empty;
  const { workflowRuns: n, runsPageSize } = client.settings;
  const base = { ...split(slug), branch, status: 'completed', exclude_pull_requests: true };
  const runs: RunSummary[] = [];
  let page = await client.get('GET /repos/{owner}/{repo}/actions/runs', { ...base, per_page: runsPageSize }, summariseRuns);
  runs.push(...page.value);
  while (runs.length < n && page.next) {
    page = await client.get(`GET ${page.next}`, {}, summariseRuns);
    runs.push(...page.value);
  }
  const window = runs.slice(0, n).filter((r) => !NEUTRAL.has(r.conclusion ?? ''));
  if (window.length === 0) return { ...empty, lastRunAt: runs[0]?.createdAt ?? null };
  const successes = window.filter((r) => r.conclusion === 'success');
  const durations = window
    .map((r) => (r.startedAt && r.updatedAt ? (Date.parse(r.updatedAt) - Date.parse(r.startedAt)) / 1000 : NaN))
    .filter((d) => Number.isFinite(d) && d >= 0)
    .sort((a, b) => a - b);
  let lastSuccess = successes[0]?.updatedAt ?? null;
  if (!lastSuccess) {
    // No success in the window: one more (cached) request finds the latest ever.
    const older = await client.get('GET /repos/{owner}/{repo}/actions/runs', { ...base, status: 'success', per_page: 1 }, summariseRuns);
    lastSuccess = older.value[0]?.updatedAt ?? null;
  }
  return {
    runs: window.length,
    successRate: Math.round((successes.length / window.length) * 1000) / 1000,
    medianDurationSeconds: durations.length ? Math.round(median(durations)) : null,
    lastSuccessAgeDays: ageInDays(lastSuccess, now),
    lastRunAt: window[0].createdAt,
    workflows,
  };
}

function median(sorted: number[]): number {
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
