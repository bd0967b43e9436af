/** What is being judged, read from the workflow's event payload as the runner hands it over. */
import { readFileSync } from 'node:fs';

export interface GateTarget {
  repo: string;
  sha: string;
  pullRequest?: number;
  baseRef?: string;
  eventName: string;
}

const stripRef = (ref: unknown) => (typeof ref === 'string' && ref ? ref.replace(/^refs\/heads\//, '') : undefined);

/**
 * `pull_request` / `pull_request_target`: the PR's head commit, number and base branch.
 * `merge_group`: the queue's merge commit, base branch, and the PR number from the queue branch.
 * `push`: the pushed commit; other events: `GITHUB_SHA`.
 */
export function readTarget(env: NodeJS.ProcessEnv): GateTarget {
  const eventName = env.GITHUB_EVENT_NAME ?? '';
  let payload: Record<string, any> = {};
  if (env.GITHUB_EVENT_PATH) {
    try {
      payload = JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) as Record<string, any>;
    } catch (err) {
      throw new Error(`Cannot read the event payload at GITHUB_EVENT_PATH: ${(err as Error).message}`);
    }
  }
  const repo = (payload.repository?.full_name as string | undefined) ?? env.GITHUB_REPOSITORY ?? '';
  if (!/^[^/\s]+\/[^/\s]+$/.test(repo)) throw new Error('Cannot tell the repository: GITHUB_REPOSITORY is not set (is this running in GitHub Actions?)');
  const target: GateTarget = { repo, sha: env.GITHUB_SHA ?? '', eventName };
  const pr = payload.pull_request as Record<string, any> | undefined;
  if ((eventName === 'pull_request' || eventName === 'pull_request_target' || (!eventName && pr)) && pr) {
    target.sha = pr.head?.sha ?? target.sha;
    target.pullRequest = Number(pr.number ?? payload.number) || undefined;
    target.baseRef = stripRef(pr.base?.ref);
  } else if (eventName === 'merge_group' && payload.merge_group) {
    const mg = payload.merge_group as Record<string, any>;
    target.sha = mg.head_sha ?? target.sha;
    target.baseRef = stripRef(mg.base_ref);
    const m = /\/pr-(\d+)-/.exec(String(mg.head_ref ?? ''));
    if (m) target.pullRequest = Number(m[1]);
  } else if (eventName === 'push') {
    target.sha = (payload.after as string | undefined) ?? target.sha;
    target.baseRef = stripRef(payload.ref);
  }
  if (!/^[0-9a-fA-F]{7,64}$/.test(target.sha)) throw new Error(`Cannot tell the commit to judge: no head sha in the ${eventName || 'workflow'} event and GITHUB_SHA is "${target.sha}"`);
  return target;
}
