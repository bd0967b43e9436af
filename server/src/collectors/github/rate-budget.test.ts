import { describe, expect, it } from 'vitest';
import { RateBudget, RateBudgetExhaustedError } from './rate-budget.js';

const headers = (h: Record<string, string>) => ({ get: (n: string) => h[n] ?? null });
const window = (remaining: number, resetInMs: number) =>
  headers({ 'x-ratelimit-remaining': String(remaining), 'x-ratelimit-reset': String(Math.ceil((Date.now() + resetInMs) / 1000)), 'x-ratelimit-resource': 'core' });

describe('RateBudget', () => {
  it('lets requests through above the reserve and counts them', async () => {
    const b = new RateBudget(10, 60_000);
    b.update('core', window(12, 60_000));
    await b.acquire('core', false);
    await b.acquire('core', false);
    expect(b.remaining('core')).toBe(10);
    expect(b.pauses).toBe(0);
  });

  it('pauses at the reserve until the window resets', async () => {
    const b = new RateBudget(10, 60_000);
    b.update('core', window(10, 200));
    const t0 = Date.now();
    await b.acquire('core', false);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    expect(b.pauses).toBe(1);
  });

  it('lets conditional requests through below the reserve (a 304 is free)', async () => {
    const b = new RateBudget(10, 0);
    b.update('core', window(3, 60_000));
    await expect(b.acquire('core', true)).resolves.toBeUndefined();
    await expect(b.acquire('core', false)).rejects.toBeInstanceOf(RateBudgetExhaustedError);
  });

  it('keeps the lowest count when answers of one window arrive out of order', () => {
    const b = new RateBudget(0, 0);
    const reset = String(Math.ceil(Date.now() / 1000) + 100);
    b.update('core', headers({ 'x-ratelimit-remaining': '40', 'x-ratelimit-reset': reset }));
    b.update('core', headers({ 'x-ratelimit-remaining': '42', 'x-ratelimit-reset': reset }));
    expect(b.remaining('core')).toBe(40);
  });
});
