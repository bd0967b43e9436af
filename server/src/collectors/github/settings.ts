/**
 * The GitHub collector's settings: connection (`config.github`) plus optional tuning, read once
 * per run from `ctx.settings.github` and checked with messages an operator can act on.
 */

/** What `ctx.settings.github` may hold. Connection fields match `config.github`. */
export interface GithubSettings {
  /** REST base URL: `https://api.github.com`, or `https://ghes.example.com/api/v3` for GHES. */
  apiUrl?: string;
  /** Personal access token (classic or fine-grained). Used when no App is configured. */
  token?: string;
  /** GitHub App id, private key (PEM) and installation id: installation auth wins over a token. */
  appId?: string;
  privateKey?: string;
  installationId?: string;
  webhookSecret?: string;
  /** Repositories per GraphQL query (1–100). Default 50. */
  graphqlBatchSize?: number;
  /** Repositories whose REST reads run at once. Default 8 (octokit also caps requests in flight at 10). */
  concurrency?: number;
  /** Leave this many requests of the hourly budget to other users of the token. Default 500. */
  rateLimitReserve?: number;
  /** Longest pause for a rate-limit reset before giving up on the rest of the sweep. Default 900 s. */
  maxRateLimitWaitSeconds?: number;
  /** Completed default-branch workflow runs considered (N). Default 20. */
  workflowRuns?: number;
  /** Page size used to read those runs (≤ 100). Default = workflowRuns. */
  runsPageSize?: number;
  /** How long a 403/404 "feature disabled / no access" answer is trusted before asking again. Default 21,600 s (6 h); 0 asks every sweep. */
  unavailableRecheckSeconds?: number;
  /** Retries of a failed (5xx) request, and the base of their quadratic back-off in ms. Defaults 3, 1000. */
  retries?: number;
  retryBaseMs?: number;
  /** Longest wait for one answer (headers and body) before the request is abandoned and retried. Default 30,000 ms. */
  requestTimeoutMs?: number;
}

export interface ResolvedGithubSettings {
  apiUrl: string;
  auth: { kind: 'token'; token: string } | { kind: 'app'; appId: string; privateKey: string; installationId: number };
  graphqlBatchSize: number;
  concurrency: number;
  rateLimitReserve: number;
  maxRateLimitWaitSeconds: number;
  workflowRuns: number;
  runsPageSize: number;
  retries: number;
  retryBaseMs: number;
  requestTimeoutMs: number;
  unavailableRecheckSeconds: number;
}

/** Thrown when the settings cannot work; the sweep reports it on every entity instead of running. */
export class GithubSettingsError extends Error {
  override name = 'GithubSettingsError';
}

function intIn(name: string, value: unknown, min: number, max: number, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
    throw new GithubSettingsError(`Invalid github.${name}: expected a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return n;
}

/** Resolve `ctx.settings.github` (or a flat settings object) into what the collector needs. */
export function resolveGithubSettings(settings: Record<string, unknown>): ResolvedGithubSettings {
  const raw = (typeof settings.github === 'object' && settings.github !== null ? settings.github : settings) as GithubSettings;
  const apiUrl = (raw.apiUrl ?? 'https://api.github.com').replace(/\/+$/, '');
  if (!/^https?:\/\//.test(apiUrl)) throw new GithubSettingsError(`Invalid github.apiUrl: expected an http(s) URL, got "${apiUrl}"`);
  let auth: ResolvedGithubSettings['auth'];
  if (raw.appId || raw.privateKey || raw.installationId) {
    if (!raw.appId || !raw.privateKey || !raw.installationId) {
      throw new GithubSettingsError('Incomplete GitHub App settings: appId, privateKey and installationId are all needed (GITHUB_APP_ID, GITHUB_APP_PRIVATE_KEY, GITHUB_APP_INSTALLATION_ID)');
    }
    auth = { kind: 'app', appId: String(raw.appId), privateKey: raw.privateKey.replace(/\\n/g, '\n'), installationId: intIn('installationId', raw.installationId, 1, Number.MAX_SAFE_INTEGER, 0) };
  } else if (raw.token) {
    auth = { kind: 'token', token: raw.token };
  } else {
    throw new GithubSettingsError('No GitHub credentials: set GITHUB_TOKEN, or GITHUB_APP_ID + GITHUB_APP_PRIVATE_KEY + GITHUB_APP_INSTALLATION_ID');
  }
  const workflowRuns = intIn('workflowRuns', raw.workflowRuns, 1, 100, 20);
  return {
    apiUrl,
    auth,
    graphqlBatchSize: intIn('graphqlBatchSize', raw.graphqlBatchSize, 1, 100, 50),
    concurrency: intIn('concurrency', raw.concurrency, 1, 100, 8),
    rateLimitReserve: intIn('rateLimitReserve', raw.rateLimitReserve, 0, 1_000_000, 500),
    maxRateLimitWaitSeconds: intIn('maxRateLimitWaitSeconds', raw.maxRateLimitWaitSeconds, 0, 7200, 900),
    workflowRuns,
    runsPageSize: intIn('runsPageSize', raw.runsPageSize, 1, 100, workflowRuns),
    retries: intIn('retries', raw.retries, 0, 10, 3),
    retryBaseMs: intIn('retryBaseMs', raw.retryBaseMs, 0, 60_000, 1000),
    requestTimeoutMs: intIn('requestTimeoutMs', raw.requestTimeoutMs, 100, 600_000, 30_000),
    unavailableRecheckSeconds: intIn('unavailableRecheckSeconds', raw.unavailableRecheckSeconds, 0, 7 * 86_400, 21_600),
  };
}
