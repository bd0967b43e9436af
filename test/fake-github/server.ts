/**
 * A fake GitHub API for tests and benchmarks: a `node:http` server on 127.0.0.1 that keeps
 * GitHub's contract for the endpoints Yardstick reads — JSON bodies shaped like the examples in
 * GitHub's OpenAPI description, ETag / If-None-Match → 304 (which costs no rate limit), the
 * x-ratelimit-* headers, Link pagination, GitHub-style error bodies, secondary limits with
 * `retry-after`, `POST /graphql`, the GHES base path (`/api/v3`, `/api/graphql`), and GitHub App
 * installation tokens (`POST /app/installations/{id}/access_tokens` with an RS256 JWT signed by
 * the app's private key; the token it issues then authenticates like any other).
 *
 * @example
 * ```ts
 * const gh = await startFakeGithub({ repos: 20 });
 * // point octokit at gh.url (or gh.ghesUrl), then look at gh.counters
 * gh.faults.serverErrors = 2; // the next two requests answer 502
 * await gh.close();
 * ```
 */
import { createHash, createPublicKey, generateKeyPairSync, randomBytes, verify, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openApiExamples } from './openapi-examples.js';
import { seedRepos, type FakeRepo } from './repos.js';

export { seedRepos, seededSlug, type FakeRepo } from './repos.js';

export interface FakeGithubOptions {
  /** How many synthetic repositories to seed, or the repositories themselves. Default 10. */
  repos?: number | FakeRepo[];
  owner?: string;
  seed?: number;
  /** Hourly limit per token for REST (`core`) and GraphQL. Default 5,000 each. */
  rateLimit?: number;
  graphqlRateLimit?: number;
  /** Tokens that authenticate; absent → any non-empty token does (but never an app's JWT). */
  tokens?: string[];
  /** A GitHub App that may create installation tokens: its id, public key (PEM) and installations. */
  app?: { id: string; publicKey: string; installations: number[]; tokenLifetimeSeconds?: number };
}

/** Switches that make the next requests misbehave. Counters run down as they fire. */
export interface FakeGithubFaults {
  /** The next K requests answer 502 Bad Gateway. */
  serverErrors: number;
  /** The next K requests hit a secondary rate limit (403, or `secondaryStatus`) with `retry-after`. */
  secondaryLimits: number;
  secondaryStatus: 403 | 429;
  retryAfterSeconds: number;
  /** Delay every response by this many milliseconds. */
  slowMs: number;
  /** The next K successful JSON answers are cut short (malformed JSON). */
  malformedJson: number;
  /** When set, the switches above fire only on requests whose path contains this text. */
  route?: string;
}

export interface FakeGithubCounters {
  /** Every request received. */
  total: number;
  /** Answers 304 Not Modified. */
  notModified: number;
  graphql: number;
  rest: number;
  /** Answers with status ≥ 400. */
  errors: number;
  /** Sum of the GraphQL query costs charged. */
  graphqlCost: number;
  /** Requests by route template, e.g. `GET /repos/{o}/{r}/actions/runs`. */
  byRoute: Record<string, number>;
  /** Answers by status code. */
  byStatus: Record<string, number>;
}

interface Bucket {
  limit: number;
  remaining: number;
  reset: number;
}

interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Resource whose limit the request counts against. */
  resource?: 'core' | 'graphql';
  cost?: number;
}

const DOCS = 'https://docs.github.com/rest';

export class FakeGithub {
  readonly repos = new Map<string, FakeRepo>();
  readonly faults: FakeGithubFaults = { serverErrors: 0, secondaryLimits: 0, secondaryStatus: 403, retryAfterSeconds: 1, slowMs: 0, malformedJson: 0 };
  counters: FakeGithubCounters = emptyCounters();
  /** `http://127.0.0.1:<port>` — the api.github.com-style base URL. */
  url = '';
  /** `http://127.0.0.1:<port>/api/v3` — the GitHub Enterprise Server-style base URL. */
  ghesUrl = '';
  private server?: Server;
  private readonly buckets = new Map<string, Bucket>();
  private readonly examples = openApiExamples();
  private readonly appKey?: KeyObject;
  /** Installation tokens issued, with when they expire (epoch seconds). */
  readonly installationTokens = new Map<string, { installationId: number; expiresAt: number }>();

  constructor(private readonly options: FakeGithubOptions = {}) {
    const list = Array.isArray(options.repos) ? options.repos : seedRepos(options.repos ?? 10, { owner: options.owner, seed: options.seed });
    for (const repo of list) this.repos.set(`${repo.owner}/${repo.name}`.toLowerCase(), repo);
    if (options.app) this.appKey = createPublicKey(options.app.publicKey);
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err: Error) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: `fake-github bug: ${err.message}`, status: '500' }));
      });
    });
    this.server.keepAliveTimeout = 5_000;
    this.server.on('connection', (socket) => socket.setNoDelay(true));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    this.ghesUrl = `${this.url}/api/v3`;
    return this;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  /** Switch every fault off. */
  resetFaults(): void {
    Object.assign(this.faults, { serverErrors: 0, secondaryLimits: 0, secondaryStatus: 403, retryAfterSeconds: 1, slowMs: 0, malformedJson: 0, route: undefined });
  }

  resetCounters(): FakeGithubCounters {
    const before = this.counters;
    this.counters = emptyCounters();
    return before;
  }

  /** The repository with this slug (case-insensitive). */
  repo(slug: string): FakeRepo {
    const repo = this.repos.get(slug.toLowerCase());
    if (!repo) throw new Error(`fake-github has no repository ${slug}`);
    return repo;
  }

  /** Set what is left of a token's budget (e.g. to test pausing near the limit). */
  setRateLimit(token: string, resource: 'core' | 'graphql', remaining: number, resetInSeconds = 3600): void {
    const b = this.bucket(token, resource);
    b.remaining = remaining;
    b.reset = Math.floor(Date.now() / 1000) + resetInSeconds;
  }

  rateLimit(token: string, resource: 'core' | 'graphql'): Readonly<Bucket> {
    return { ...this.bucket(token, resource) };
  }

  private bucket(token: string, resource: 'core' | 'graphql'): Bucket {
    const key = `${resource}:${token}`;
    let b = this.buckets.get(key);
    const now = Math.floor(Date.now() / 1000);
    if (!b || b.reset <= now) {
      const limit = resource === 'graphql' ? (this.options.graphqlRateLimit ?? 5000) : (this.options.rateLimit ?? 5000);
      b = { limit, remaining: b && b.reset > now ? b.remaining : limit, reset: now + 3600 };
      this.buckets.set(key, b);
    }
    return b;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', this.url);
    let path = url.pathname;
    if (path.startsWith('/api/v3/')) path = path.slice('/api/v3'.length);
    else if (path === '/api/graphql') path = '/graphql';
    const method = req.method ?? 'GET';
    const isGraphql = path === '/graphql';
    this.counters.total++;
    if (isGraphql) this.counters.graphql++;
    else this.counters.rest++;
    if (this.faults.slowMs > 0) await new Promise((r) => setTimeout(r, this.faults.slowMs));

    const token = /^(?:token|bearer)\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const resource = isGraphql ? 'graphql' : 'core';
    const routeKey = `${method} ${templateOf(path)}`;
    this.counters.byRoute[routeKey] = (this.counters.byRoute[routeKey] ?? 0) + 1;

    const installation = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(path);
    if (installation && method === 'POST') return this.send(res, this.installationToken(token, Number(installation[1])));
    if (!token || !this.authenticates(token)) {
      return this.send(res, { status: 401, body: errorBody('Bad credentials', 401) });
    }
    const bucket = this.bucket(token, resource);
    const limitHeaders = () => ({
      'x-ratelimit-limit': String(bucket.limit),
      'x-ratelimit-remaining': String(bucket.remaining),
      'x-ratelimit-reset': String(bucket.reset),
      'x-ratelimit-used': String(bucket.limit - bucket.remaining),
      'x-ratelimit-resource': resource,
    });
    const faulty = !this.faults.route || path.includes(this.faults.route);
    if (faulty && this.faults.serverErrors > 0) {
      this.faults.serverErrors--;
      return this.send(res, { status: 502, body: errorBody('Server Error', 502), headers: limitHeaders() });
    }
    if (faulty && this.faults.secondaryLimits > 0) {
      this.faults.secondaryLimits--;
      const status = this.faults.secondaryStatus;
      return this.send(res, {
        status,
        body: errorBody('You have exceeded a secondary rate limit. Please wait a few minutes before you try again.', status),
        headers: { ...limitHeaders(), 'retry-after': String(this.faults.retryAfterSeconds) },
      });
    }
    if (bucket.remaining <= 0 && path !== '/rate_limit') {
      return this.send(res, { status: 403, body: errorBody(`API rate limit exceeded for token.`, 403), headers: limitHeaders() });
    }

    let answer: Answer;
    if (isGraphql && method === 'POST') answer = this.graphql(raw, bucket);
    else if (method === 'GET') answer = this.rest(path, url);
    else answer = { status: 404, body: errorBody('Not Found', 404) };

    const headers: Record<string, string> = { ...(answer.headers ?? {}) };
    if (method === 'GET' && answer.status === 200) {
      const etag = `W/"${createHash('sha1').update(JSON.stringify(answer.body)).digest('hex')}"`;
      headers.etag = etag;
      const inm = req.headers['if-none-match'];
      if (inm && inm.split(',').map((s) => s.trim()).includes(etag)) {
        this.counters.notModified++;
        return this.send(res, { status: 304, headers: { ...headers, ...limitHeaders() } });
      }
    }
    if (path !== '/rate_limit') {
      const cost = answer.cost ?? 1;
      bucket.remaining = Math.max(0, bucket.remaining - cost);
      if (isGraphql) this.counters.graphqlCost += cost;
    }
    return this.send(res, { ...answer, headers: { ...headers, ...limitHeaders() } }, faulty);
  }

  private authenticates(token: string): boolean {
    const issued = this.installationTokens.get(token);
    if (issued) return issued.expiresAt > Math.floor(Date.now() / 1000);
    if (token.split('.').length === 3) return false; // an app's JWT only creates installation tokens
    return !this.options.tokens || this.options.tokens.includes(token);
  }

  /**
   * `POST /app/installations/{id}/access_tokens`: the bearer must be a JWT signed (RS256) with the
   * app's private key, issued by the app (`iss`), with `iat` in the past and `exp` in the next ten
   * minutes, as GitHub requires. Answers 201 with a token valid for an hour (or `tokenLifetimeSeconds`).
   */
  private installationToken(jwt: string | undefined, installationId: number): Answer {
    const app = this.options.app;
    const undecodable = { status: 401, body: errorBody('A JSON web token could not be decoded', 401) };
    if (!app || !this.appKey || !jwt) return undecodable;
    const [head, body, signature] = jwt.split('.');
    if (!head || !body || !signature) return undecodable;
    let header: { alg?: string };
    let claims: { iss?: unknown; iat?: unknown; exp?: unknown };
    try {
      header = JSON.parse(Buffer.from(head, 'base64url').toString('utf8'));
      claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch {
      return undecodable;
    }
    if (header.alg !== 'RS256' || !verify('RSA-SHA256', Buffer.from(`${head}.${body}`), this.appKey, Buffer.from(signature, 'base64url'))) return undecodable;
    if (String(claims.iss) !== app.id) return { status: 401, body: errorBody(`'Issuer' claim ('iss') must be an Integer`, 401) };
    const now = Math.floor(Date.now() / 1000);
    if (typeof claims.iat !== 'number' || claims.iat > now + 60) {
      return { status: 401, body: errorBody(`'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued`, 401) };
    }
    if (typeof claims.exp !== 'number' || claims.exp <= now || claims.exp > now + 600 + 60) {
      return { status: 401, body: errorBody(`'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires`, 401) };
    }
    if (!app.installations.includes(installationId)) return { status: 404, body: errorBody('Not Found', 404) };
    const token = `ghs_${randomBytes(18).toString('base64url')}`;
    const expiresAt = now + (app.tokenLifetimeSeconds ?? 3600);
    this.installationTokens.set(token, { installationId, expiresAt });
    return {
      status: 201,
      body: { token, expires_at: new Date(expiresAt * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'), permissions: { contents: 'read', metadata: 'read', administration: 'read', actions: 'read', security_events: 'read', vulnerability_alerts: 'read' }, repository_selection: 'all' },
    };
  }

  private send(res: ServerResponse, answer: Answer, faulty = true): void {
    if (answer.status >= 400) this.counters.errors++;
    this.counters.byStatus[answer.status] = (this.counters.byStatus[answer.status] ?? 0) + 1;
    const headers: Record<string, string> = { 'x-github-media-type': 'github.v3; format=json', ...(answer.headers ?? {}) };
    if (answer.status === 304 || answer.body === undefined) {
      res.writeHead(answer.status, headers);
      res.end();
      return;
    }
    let text = JSON.stringify(answer.body);
    if (answer.status === 200 && faulty && this.faults.malformedJson > 0) {
      this.faults.malformedJson--;
      text = text.slice(0, Math.max(1, Math.floor(text.length / 2)));
    }
    res.writeHead(answer.status, { ...headers, 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(text)) });
    res.end(text);
  }

  // ---------------------------------------------------------------- REST

  private rest(path: string, url: URL): Answer {
    if (path === '/rate_limit') return { status: 200, body: this.examples.rateLimit };
    const m = /^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/.exec(path);
    if (!m) return { status: 404, body: errorBody('Not Found', 404) };
    const repo = this.repos.get(`${decodeURIComponent(m[1])}/${decodeURIComponent(m[2])}`.toLowerCase());
    if (!repo) return { status: 404, body: errorBody('Not Found', 404) };
    const rest = m[3] ?? '';
    const slug = `${repo.owner}/${repo.name}`;
    const q = url.searchParams;
    const state = q.get('state');
    if (state !== null && !['open', 'closed', 'dismissed', 'fixed', 'resolved', 'auto_dismissed'].includes(state)) {
      return { status: 422, body: { ...errorBody('Validation Failed', 422), errors: [{ resource: 'Alert', field: 'state', code: 'invalid' }] } };
    }

    const branchRules = /^\/rules\/branches\/(.+)$/.exec(rest);
    if (branchRules) {
      const branch = decodeURIComponent(branchRules[1]);
      const rules = branch === repo.defaultBranch ? repo.rules : [];
      const items = rules.map((r) => ({ ...structuredClone(this.examples.ruleItem), type: r.type, ruleset_source_type: 'Repository', ruleset_source: slug, ruleset_id: 1, parameters: r.parameters }))
        .map((r) => (r.parameters === undefined ? omit(r, 'parameters') : r));
      return this.page(items, url);
    }
    if (rest === '/codeowners/errors') {
      if (!repo.files.some((f) => /(^|\/)CODEOWNERS$/.test(f))) return { status: 404, body: errorBody('Not Found', 404) };
      const errors = Array.from({ length: repo.codeownersErrors }, (_, k) => ({ ...this.examples.codeownersError, line: k + 1 }));
      return { status: 200, body: { errors } };
    }
    if (rest === '/dependabot/alerts') {
      if (repo.dependabot === 'disabled') return { status: 403, body: errorBody('Dependabot alerts are disabled for this repository.', 403) };
      if (repo.dependabot === 'forbidden') return { status: 403, body: errorBody('Resource not accessible by integration', 403) };
      const open = state === null || state === 'open';
      const items = (open ? repo.dependabotAlerts : []).map((severity, k) => {
        const a = structuredClone(this.examples.dependabotAlert);
        a.number = k + 1;
        a.state = 'open';
        a.security_advisory = { ...a.security_advisory, severity };
        a.security_vulnerability = { ...a.security_vulnerability, severity };
        a.url = `https://api.github.com/repos/${slug}/dependabot/alerts/${k + 1}`;
        return a;
      });
      return this.page(items, url);
    }
    if (rest === '/code-scanning/alerts') {
      if (repo.codeScanning === 'disabled') return { status: 404, body: errorBody('no analysis found', 404) };
      if (repo.codeScanning === 'forbidden') return { status: 403, body: errorBody('Resource not accessible by integration', 403) };
      const items = (state === null || state === 'open' ? repo.codeScanningAlerts : []).map((severity, k) => {
        const a = structuredClone(this.examples.codeScanningAlert);
        a.number = k + 1;
        a.state = 'open';
        a.rule = { ...a.rule, security_severity_level: severity, severity: severity === 'low' ? 'note' : severity === 'medium' ? 'warning' : 'error' };
        return a;
      });
      return this.page(items, url);
    }
    if (rest === '/secret-scanning/alerts') {
      if (repo.secretScanning === 'disabled') return { status: 404, body: errorBody('Secret scanning is disabled on this repository.', 404) };
      if (repo.secretScanning === 'forbidden') return { status: 403, body: errorBody('Resource not accessible by integration', 403) };
      const items = Array.from({ length: state === null || state === 'open' ? repo.secretScanningAlerts : 0 }, (_, k) => ({
        ...structuredClone(this.examples.secretScanningAlert), number: k + 1, state: 'open', resolution: null, resolved_at: null, resolved_by: null,
      }));
      return this.page(items, url);
    }
    if (rest === '/actions/runs') {
      const branch = q.get('branch');
      const status = q.get('status');
      const runs = repo.runs
        .filter((r) => !branch || r.branch === branch)
        .filter((r) => !status || r.status === status || r.conclusion === status)
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
        .map((r) => {
          const run = structuredClone(this.examples.workflowRun);
          const ended = new Date(Date.parse(r.createdAt) + r.durationSeconds * 1000).toISOString();
          Object.assign(run, {
            id: r.id, head_branch: r.branch, status: r.status, conclusion: r.conclusion, created_at: r.createdAt,
            run_started_at: r.createdAt, updated_at: ended, url: `https://api.github.com/repos/${slug}/actions/runs/${r.id}`,
          });
          return run;
        });
      const page = this.page(runs, url);
      return { ...page, body: { total_count: runs.length, workflow_runs: page.body } };
    }
    return { status: 404, body: errorBody('Not Found', 404) };
  }

  /** One page of a list, with GitHub's Link header. */
  private page<T>(items: T[], url: URL): Answer & { body: T[] } {
    const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get('per_page') ?? 30) || 30));
    const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const body = items.slice((page - 1) * perPage, page * perPage);
    const link = (p: number, rel: string) => {
      const u = new URL(url.href);
      u.searchParams.set('page', String(p));
      return `<${u.href}>; rel="${rel}"`;
    };
    const parts: string[] = [];
    if (page > 1) parts.push(link(page - 1, 'prev'), link(1, 'first'));
    if (page < last) parts.push(link(page + 1, 'next'), link(last, 'last'));
    return { status: 200, body, headers: parts.length ? { link: parts.join(', ') } : {} };
  }

  // ---------------------------------------------------------------- GraphQL

  private graphql(raw: string, bucket: Bucket): Answer {
    let request: { query?: string; variables?: Record<string, unknown> };
    try {
      request = JSON.parse(raw);
    } catch {
      return { status: 400, body: { message: 'Problems parsing JSON', documentation_url: DOCS, status: '400' } };
    }
    const query = request.query ?? '';
    const vars = request.variables ?? {};
    const value = (v: string) => (v.startsWith('$') ? String(vars[v.slice(1)] ?? '') : v.replace(/^"|"$/g, ''));
    const data: Record<string, unknown> = {};
    const errors: unknown[] = [];
    const re = /(\w+)\s*:\s*repository\(\s*owner:\s*(\$\w+|"[^"]*")\s*,\s*name:\s*(\$\w+|"[^"]*")\s*\)/g;
    let n = 0;
    for (const m of query.matchAll(re)) {
      n++;
      const [alias, owner, name] = [m[1], value(m[2]), value(m[3])];
      const repo = this.repos.get(`${owner}/${name}`.toLowerCase());
      if (!repo) {
        data[alias] = null;
        errors.push({ type: 'NOT_FOUND', path: [alias], locations: [{ line: 1, column: 1 }], message: `Could not resolve to a Repository with the name '${owner}/${name}'.` });
      } else data[alias] = this.graphqlRepo(repo);
    }
    if (n === 0 && !/rateLimit/.test(query)) {
      return { status: 200, resource: 'graphql', body: { errors: [{ message: 'fake-github understands only repository(owner:, name:) queries' }] } };
    }
    // GitHub charges about one point per 100 connection nodes requested; two connections per repository here.
    const cost = Math.max(1, Math.ceil((n * 2) / 100));
    if (/rateLimit\s*\{/.test(query)) {
      data.rateLimit = { cost, limit: bucket.limit, remaining: Math.max(0, bucket.remaining - cost), resetAt: new Date(bucket.reset * 1000).toISOString() };
    }
    return { status: 200, resource: 'graphql', cost, body: errors.length ? { data, errors } : { data } };
  }

  private graphqlRepo(repo: FakeRepo): Record<string, unknown> {
    const tree = (dir: string) => {
      const prefix = dir ? `${dir}/` : '';
      const names = new Map<string, string>();
      for (const f of repo.files) {
        if (!f.startsWith(prefix)) continue;
        const restPath = f.slice(prefix.length);
        const [head, ...tail] = restPath.split('/');
        names.set(head, tail.length ? 'tree' : names.get(head) ?? 'blob');
      }
      if (dir && names.size === 0) return null;
      return { entries: [...names].map(([name, type]) => ({ name, type })) };
    };
    const p = repo.protection;
    const prs = [...repo.openPullRequests].sort();
    return {
      nameWithOwner: `${repo.owner}/${repo.name}`,
      visibility: repo.visibility.toUpperCase(),
      isArchived: repo.archived,
      description: repo.description,
      pushedAt: repo.pushedAt,
      licenseInfo: repo.license ? { spdxId: repo.license, key: repo.license.toLowerCase() } : null,
      repositoryTopics: { nodes: repo.topics.map((name) => ({ topic: { name } })) },
      pullRequests: { totalCount: prs.length, nodes: prs.slice(0, 1).map((createdAt) => ({ createdAt })) },
      defaultBranchRef: {
        name: repo.defaultBranch,
        branchProtectionRule: p
          ? {
              requiresApprovingReviews: p.requiredReviews > 0,
              requiredApprovingReviewCount: p.requiredReviews,
              dismissesStaleReviews: p.dismissStale,
              requiresCodeOwnerReviews: p.codeOwners,
              requiresStatusChecks: p.statusChecks.length > 0,
              requiredStatusCheckContexts: p.statusChecks,
              requiresStrictStatusChecks: p.strict,
              isAdminEnforced: p.enforceAdmins,
              allowsForcePushes: p.allowForcePushes,
              allowsDeletions: p.allowDeletions,
              requiresLinearHistory: p.linearHistory,
              requiresCommitSignatures: p.signedCommits,
            }
          : null,
      },
      root: tree(''),
      dotGithub: tree('.github'),
      workflowsDir: tree('.github/workflows'),
      docsDir: tree('docs'),
    };
  }
}

/** Start a fake GitHub on a random local port. */
/** A GitHub App key pair as GitHub hands it out (PEM): the private key for the app's settings, the public one for `app`. */
export function appKeyPair(): { publicKey: string; privateKey: string } {
  return generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
}

export async function startFakeGithub(options: FakeGithubOptions = {}): Promise<FakeGithub> {
  return new FakeGithub(options).start();
}

function emptyCounters(): FakeGithubCounters {
  return { total: 0, notModified: 0, graphql: 0, rest: 0, errors: 0, graphqlCost: 0, byRoute: {}, byStatus: {} };
}

function errorBody(message: string, status: number) {
  return { message, documentation_url: DOCS, status: String(status) };
}

function templateOf(path: string): string {
  return path
    .replace(/^\/app\/installations\/\d+\//, '/app/installations/{id}/')
    .replace(/^\/repos\/[^/]+\/[^/]+/, '/repos/{o}/{r}')
    .replace(/\/rules\/branches\/.+$/, '/rules/branches/{branch}');
}

function omit<T extends object>(o: T, key: string): T {
  const copy = { ...o } as Record<string, unknown>;
  delete copy[key];
  return copy as T;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

