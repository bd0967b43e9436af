/**
 * GitHub webhooks: verify a delivery's signature and say which repositories it makes worth
 * collecting again. The HTTP route stays thin: it passes the raw body and headers, answers 401
 * on a bad signature, and queues a collection for the returned slugs.
 */
import { Webhooks } from '@octokit/webhooks';

/** What a verified delivery means for collection. */
export interface WebhookRouting {
  event: string;
  action?: string;
  deliveryId?: string;
  /** `owner/name` slugs (lower case) whose facts may have changed; empty when none did. */
  repositories: string[];
}

/** A delivery that cannot be trusted or read; `statusCode` is what the route should answer. */
export class WebhookRejectedError extends Error {
  override name = 'WebhookRejectedError';
  constructor(
    message: string,
    readonly statusCode: 400 | 401,
  ) {
    super(message);
  }
}

/** Events that can change a github.* fact, and which of their actions do. */
const ROUTED: Record<string, (payload: Payload) => boolean> = {
  // Only the default branch feeds the facts.
  push: (p) => Boolean(p.ref && p.repository?.default_branch && p.ref === `refs/heads/${p.repository.default_branch}`),
  repository: () => true,
  branch_protection_rule: () => true,
  repository_ruleset: () => true,
  workflow_run: (p) => p.action === 'completed',
  pull_request: (p) => ['opened', 'closed', 'reopened'].includes(p.action ?? ''),
  dependabot_alert: () => true,
  code_scanning_alert: () => true,
  secret_scanning_alert: () => true,
  security_and_analysis: () => true,
};

interface Payload {
  action?: string;
  ref?: string;
  repository?: { full_name?: string; default_branch?: string; owner?: { login?: string } };
  changes?: { repository?: { name?: { from?: string } }; owner?: { from?: { user?: { login?: string }; organization?: { login?: string } } } };
}

type HeaderBag = Record<string, string | string[] | undefined>;

function header(headers: HeaderBag, name: string): string | undefined {
  const direct = headers[name] ?? Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1];
  return Array.isArray(direct) ? direct[0] : direct;
}

/**
 * Verify `x-hub-signature-256` over the raw body with the webhook secret, then return the
 * repositories the event touches.
 *
 * @example
 * ```ts
 * const { repositories } = await verifyAndRoute(config.github.webhookSecret!, req.headers, req.rawBody);
 * // → ['acme/payments-api']
 * ```
 */
export async function verifyAndRoute(secret: string, headers: HeaderBag, rawBody: string | Buffer): Promise<WebhookRouting> {
  if (!secret) throw new WebhookRejectedError('No webhook secret configured (GITHUB_WEBHOOK_SECRET): refusing unsigned deliveries', 401);
  const signature = header(headers, 'x-hub-signature-256');
  const event = header(headers, 'x-github-event');
  if (!signature) throw new WebhookRejectedError('Missing x-hub-signature-256 header', 401);
  if (!event) throw new WebhookRejectedError('Missing x-github-event header', 400);
  const body = typeof rawBody === 'string' ? rawBody : rawBody.toString('utf8');
  const webhooks = new Webhooks({ secret });
  let valid = false;
  try {
    valid = await webhooks.verify(body, signature);
  } catch {
    valid = false;
  }
  if (!valid) throw new WebhookRejectedError('Webhook signature does not match the configured secret', 401);

  let payload: Payload;
  try {
    payload = JSON.parse(body) as Payload;
  } catch {
    throw new WebhookRejectedError('Webhook body is not JSON', 400);
  }
  const routing: WebhookRouting = { event, action: payload.action, deliveryId: header(headers, 'x-github-delivery'), repositories: [] };
  const wanted = ROUTED[event];
  const slug = payload.repository?.full_name;
  if (!wanted || !slug || !wanted(payload)) return routing;
  const slugs = new Set([slug.toLowerCase()]);
  // A rename or transfer: entities may still point at the old slug.
  if (event === 'repository') {
    const [owner, name] = slug.split('/');
    const oldName = payload.changes?.repository?.name?.from;
    const oldOwner = payload.changes?.owner?.from?.organization?.login ?? payload.changes?.owner?.from?.user?.login;
    if (oldName) slugs.add(`${owner}/${oldName}`.toLowerCase());
    if (oldOwner) slugs.add(`${oldOwner}/${name}`.toLowerCase());
  }
  routing.repositories = [...slugs];
  return routing;
}
