/**
 * A per-token request budget fed by GitHub's `x-ratelimit-*` headers. Before a request goes out
 * it checks what is left of the resource's hourly quota: below the reserve it pauses until the
 * window resets, so a sweep never eats the quota other users of the token (the PR gate) need.
 * Conditional requests (with `If-None-Match`) may still go out below the reserve: a 304 costs
 * nothing.
 */

interface Window {
  remaining: number;
  /** Epoch ms when the window resets. */
  reset: number;
}

export class RateBudgetExhaustedError extends Error {
  override name = 'RateBudgetExhaustedError';
}

export class RateBudget {
  private readonly windows = new Map<string, Window>();
  pauses = 0;
  pausedMs = 0;

  constructor(
    private reserve: number,
    private maxWaitMs: number,
  ) {}

  configure(reserve: number, maxWaitMs: number): void {
    this.reserve = reserve;
    this.maxWaitMs = maxWaitMs;
  }

  /** What is known of a resource's window (`core`, `graphql`, `search`). */
  remaining(resource: string): number | undefined {
    return this.windows.get(resource)?.remaining;
  }

  /** Learn from a response's headers. Answers can arrive out of order: keep the lowest count per window. */
  update(fallbackResource: string, headers: { get(name: string): string | null }): void {
    const remaining = Number(headers.get('x-ratelimit-remaining'));
    const reset = Number(headers.get('x-ratelimit-reset')) * 1000;
    if (!headers.get('x-ratelimit-remaining') || !Number.isFinite(remaining) || !Number.isFinite(reset)) return;
    const resource = headers.get('x-ratelimit-resource') ?? fallbackResource;
    const known = this.windows.get(resource);
    if (known && known.reset === reset) known.remaining = Math.min(known.remaining, remaining);
    else if (!known || reset > known.reset) this.windows.set(resource, { remaining, reset });
  }

  /** Wait until a request on `resource` fits the budget; counts it against the local estimate. */
  async acquire(resource: string, conditional: boolean, signal?: AbortSignal): Promise<void> {
    for (;;) {
      const w = this.windows.get(resource);
      if (!w) return;
      const now = Date.now();
      if (now >= w.reset) {
        this.windows.delete(resource);
        return;
      }
      const floor = conditional ? 0 : this.reserve;
      if (w.remaining > floor) {
        if (!conditional) w.remaining--;
        return;
      }
      const wait = w.reset - now + 1000;
      if (wait > this.maxWaitMs) {
        throw new RateBudgetExhaustedError(
          `GitHub ${resource} budget at ${w.remaining} (reserve ${this.reserve}) until ${new Date(w.reset).toISOString()}; not waiting ${Math.ceil(wait / 1000)} s`,
        );
      }
      this.pauses++;
      this.pausedMs += wait;
      await sleep(wait, signal);
    }
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason ?? new Error('aborted'));
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal?.reason ?? new Error('aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

const budgets = new Map<string, RateBudget>();

/** The budget of one token (identity), shared by every sweep in this process. */
export function budgetFor(identity: string, reserve: number, maxWaitMs: number): RateBudget {
  let b = budgets.get(identity);
  if (!b) budgets.set(identity, (b = new RateBudget(reserve, maxWaitMs)));
  else b.configure(reserve, maxWaitMs);
  return b;
}
