/**
 * The fake GitHub's world: synthetic repositories with varied settings, built from a seed so
 * every run sees the same spread.
 */
import { seededRandom as prng } from '../../server/src/seeded-random.js';

export type Severity = 'critical' | 'high' | 'medium' | 'low';
export type FeatureState = 'enabled' | 'disabled' | 'forbidden';

export interface FakeProtection {
  requiredReviews: number;
  dismissStale: boolean;
  codeOwners: boolean;
  statusChecks: string[];
  strict: boolean;
  enforceAdmins: boolean;
  allowForcePushes: boolean;
  allowDeletions: boolean;
  linearHistory: boolean;
  signedCommits: boolean;
}

/** A ruleset rule as `GET /repos/{o}/{r}/rules/branches/{branch}` reports it. */
export interface FakeRule {
  type: string;
  parameters?: Record<string, unknown>;
}

export interface FakeRun {
  id: number;
  conclusion: 'success' | 'failure' | 'cancelled' | 'skipped' | null;
  status: 'completed' | 'in_progress';
  createdAt: string;
  durationSeconds: number;
  branch: string;
}

export interface FakeRepo {
  owner: string;
  name: string;
  visibility: 'public' | 'private' | 'internal';
  archived: boolean;
  description: string | null;
  topics: string[];
  license: string | null;
  pushedAt: string;
  defaultBranch: string;
  /** Creation times of open pull requests. */
  openPullRequests: string[];
  /** Paths of files in the default branch (`README.md`, `.github/workflows/ci.yml`, …). */
  files: string[];
  protection: FakeProtection | null;
  rules: FakeRule[];
  codeownersErrors: number;
  dependabot: FeatureState;
  dependabotAlerts: Severity[];
  codeScanning: FeatureState;
  codeScanningAlerts: Severity[];
  secretScanning: FeatureState;
  secretScanningAlerts: number;
  runs: FakeRun[];
}


const DAY = 86_400_000;
const SEVERITIES: Severity[] = ['critical', 'high', 'medium', 'low'];
const LICENSES = ['MIT', 'Apache-2.0', 'BSD-3-Clause', null];
const TOPICS = ['payments', 'backend', 'frontend', 'kotlin', 'typescript', 'go', 'internal-tool', 'api'];

/** The slug of the i-th seeded repository. */
export function seededSlug(i: number, owner = 'acme'): string {
  return `${owner}/svc-${String(i).padStart(4, '0')}`;
}

/**
 * Build `count` repositories. Settings vary with the index so tests can rely on a few:
 * index 0 is fully configured, index 1 has every security feature disabled, index 2 is
 * archived, index 3 relies on rulesets instead of branch protection.
 */
export function seedRepos(count: number, { owner = 'acme', seed = 42, now = Date.now() } = {}): FakeRepo[] {
  const repos: FakeRepo[] = [];
  for (let i = 0; i < count; i++) {
    const rnd = prng(seed * 1_000_003 + i);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
    const slug = seededSlug(i, owner).split('/');
    const defaultBranch = i % 7 === 5 ? 'master' : 'main';
    const workflows = i % 5 === 4 ? [] : ['ci.yml', ...(rnd() < 0.5 ? ['release.yaml'] : [])];
    const files = [
      ...(i % 9 === 8 ? [] : ['README.md']),
      ...(i % 4 === 3 ? [] : ['.github/CODEOWNERS']),
      ...(i % 6 === 5 ? [] : ['LICENSE']),
      ...(i % 3 === 2 ? [] : ['SECURITY.md']),
      ...(i % 2 === 1 ? [] : ['CONTRIBUTING.md']),
      ...(i % 3 === 0 ? ['.github/dependabot.yml'] : i % 3 === 1 ? ['renovate.json'] : []),
      'package.json',
      'src',
      ...workflows.map((w) => `.github/workflows/${w}`),
    ];
    const protection: FakeProtection | null =
      i === 3 || i % 8 === 7
        ? null
        : {
            requiredReviews: i === 0 ? 2 : Math.floor(rnd() * 3),
            dismissStale: i === 0 || rnd() < 0.5,
            codeOwners: i === 0 || rnd() < 0.4,
            statusChecks: i === 0 ? ['build', 'test'] : rnd() < 0.6 ? ['build'] : [],
            strict: rnd() < 0.5,
            enforceAdmins: i === 0 || rnd() < 0.3,
            allowForcePushes: i !== 0 && rnd() < 0.1,
            allowDeletions: i !== 0 && rnd() < 0.1,
            linearHistory: rnd() < 0.3,
            signedCommits: rnd() < 0.2,
          };
    const rules: FakeRule[] =
      i === 3 || i % 10 === 9
        ? [
            { type: 'deletion' },
            { type: 'non_fast_forward' },
            {
              type: 'pull_request',
              parameters: { required_approving_review_count: 1, dismiss_stale_reviews_on_push: true, require_code_owner_review: false, require_last_push_approval: false, required_review_thread_resolution: false },
            },
            { type: 'required_status_checks', parameters: { strict_required_status_checks_policy: true, required_status_checks: [{ context: 'ci/lint' }] } },
          ]
        : [];
    const feature = (k: number): FeatureState => (i === 0 ? 'enabled' : i === 1 ? 'disabled' : i % 11 === 10 ? 'forbidden' : (i + k) % 4 === 0 ? 'disabled' : 'enabled');
    const alerts = (max: number) => Array.from({ length: Math.floor(rnd() * (max + 1)) }, () => pick(SEVERITIES));
    const runs: FakeRun[] = workflows.length === 0 ? [] : Array.from({ length: 5 + Math.floor(rnd() * 40) }, (_, k) => {
      const conclusion = rnd() < 0.8 ? 'success' : rnd() < 0.7 ? 'failure' : rnd() < 0.5 ? 'cancelled' : 'skipped';
      return {
        id: (i + 1) * 100_000 + k,
        conclusion,
        status: 'completed',
        createdAt: new Date(now - (k + 1) * DAY / 2 - Math.floor(rnd() * 3_600_000)).toISOString(),
        durationSeconds: 60 + Math.floor(rnd() * 600),
        branch: rnd() < 0.85 ? defaultBranch : 'feature/x',
      } satisfies FakeRun;
    });
    if (i === 0 && runs.length) runs[0].conclusion = 'success';
    repos.push({
      owner: slug[0],
      name: slug[1],
      visibility: i % 13 === 12 ? 'public' : i % 13 === 11 ? 'internal' : 'private',
      archived: i === 2 || i % 17 === 16,
      description: i % 5 === 2 ? null : `Service number ${i}`,
      topics: TOPICS.filter(() => rnd() < 0.3),
      license: i === 0 ? 'Apache-2.0' : i % 6 === 5 ? null : (pick(LICENSES) ?? 'MIT'),
      pushedAt: new Date(now - Math.floor(rnd() * 90) * DAY).toISOString(),
      defaultBranch,
      openPullRequests: Array.from({ length: Math.floor(rnd() * 6) }, () => new Date(now - Math.floor(rnd() * 60 * DAY)).toISOString()),
      files,
      protection,
      rules,
      codeownersErrors: i === 0 ? 0 : files.includes('.github/CODEOWNERS') && rnd() < 0.2 ? 1 + Math.floor(rnd() * 2) : 0,
      dependabot: feature(0),
      dependabotAlerts: alerts(8),
      codeScanning: feature(1),
      codeScanningAlerts: alerts(5),
      secretScanning: feature(2),
      secretScanningAlerts: Math.floor(rnd() * 3),
      runs,
    });
  }
  return repos;
}
