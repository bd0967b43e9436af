/**
 * A guard for charts: no series is drawn with more than `max` points. Evenly spaced picks,
 * always keeping the first and last point, so the chart's date range never shrinks.
 */
export const MAX_POINTS = 1000;

export function downsample<T>(points: readonly T[], max = MAX_POINTS): T[] {
  if (max < 2) throw new RangeError('downsample: max must be at least 2');
  if (points.length <= max) return points.slice();
  const out: T[] = [];
  const step = (points.length - 1) / (max - 1);
  for (let i = 0; i < max; i++) out.push(points[Math.round(i * step)]);
  return out;
}
