// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { downsample, MAX_POINTS } from './downsample.js';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('downsample', () => {
  it.each([0, 1, 2, 999, 1000])('keeps a series of %i points as it is', (n) => {
    expect(downsample(range(n))).toEqual(range(n));
  });

  it.each([1001, 5000, 100_000])('cuts %i points to at most 1,000, keeping first and last', (n) => {
    const out = downsample(range(n));
    expect(out).toHaveLength(MAX_POINTS);
    expect(out[0]).toBe(0);
    expect(out[out.length - 1]).toBe(n - 1);
    expect([...out].sort((a, b) => a - b)).toEqual(out);
    expect(new Set(out).size).toBe(out.length);
  });

  it('honours a smaller maximum and refuses a meaningless one', () => {
    expect(downsample(range(10), 4)).toEqual([0, 3, 6, 9]);
    expect(() => downsample(range(10), 1)).toThrow(RangeError);
  });

  it('does not mutate its input', () => {
    const input = range(2000);
    downsample(input);
    expect(input).toHaveLength(2000);
  });
});
