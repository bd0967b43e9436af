/**
 * Synthetic request history in OpenMetrics text, for loading into a real Prometheus with
 * `promtool tsdb create-blocks-from openmetrics`. The numbers are chosen so the SLO figures
 * the collector should find can be worked out by hand (see `expected`).
 */

export interface SyntheticHistory {
  text: string;
  /** First and last sample time, Unix seconds. */
  from: number;
  to: number;
  /** What the Prometheus collector should report for `job="<busyJob>"` when queried at `to`. */
  expected: { availability30d: number; errorRatio1h: number; errorRatio30d: number; latencyP99Seconds: number };
}

export interface HistoryOptions {
  /** End of the history, Unix seconds (default: now). */
  now?: number;
  days?: number;
  stepSeconds?: number;
  /** Job with traffic: steady 0.4 % errors, then 5 % errors and slower answers in the last `incidentHours`. */
  busyJob?: string;
  /** Job whose counters never move (no traffic): ratios are 0/0. */
  idleJob?: string;
  incidentHours?: number;
}

/** Requests per step by status code, before and during the incident. */
const REQUESTS = { normal: { '200': 986, '404': 10, '500': 4 }, incident: { '200': 940, '404': 10, '500': 50 } } as const;
/** Cumulative histogram bucket counts per step (1000 observations each step). */
const LE = ['0.05', '0.1', '0.25', '0.5', '1', '2.5', '+Inf'] as const;
const BUCKETS = { normal: [700, 900, 992, 998, 1000, 1000, 1000], incident: [500, 800, 950, 980, 995, 1000, 1000] } as const;
const SUM_PER_STEP = { normal: 62, incident: 140 } as const;

/** p-quantile of a cumulative histogram by Prometheus's linear interpolation inside the bucket. */
export function histogramQuantile(q: number, bounds: number[], cumulative: number[]): number {
  const rank = q * cumulative[cumulative.length - 1];
  let i = cumulative.findIndex((c) => c >= rank);
  if (i === bounds.length - 1) i--; // Prometheus answers the highest finite bound for the +Inf bucket
  const lower = i === 0 ? 0 : bounds[i - 1];
  const below = i === 0 ? 0 : cumulative[i - 1];
  return lower + ((bounds[i] - lower) * (rank - below)) / (cumulative[i] - below);
}

export function syntheticHistory(options: HistoryOptions = {}): SyntheticHistory {
  const step = options.stepSeconds ?? 600;
  const days = options.days ?? 31;
  const to = Math.floor((options.now ?? Date.now() / 1000) / step) * step;
  const steps = Math.floor((days * 86_400) / step);
  const from = to - steps * step;
  const busy = options.busyJob ?? 'payments-api';
  const idle = options.idleJob ?? 'idle-worker';
  const incidentFrom = to - (options.incidentHours ?? 3) * 3600;
  const regime = (t: number) => (t > incidentFrom ? 'incident' : 'normal');

  const lines: string[] = ['# HELP http_requests Requests served.', '# TYPE http_requests counter'];
  for (const job of [busy, idle]) {
    for (const code of ['200', '404', '500'] as const) {
      let value = 0;
      for (let t = from; t <= to; t += step) {
        if (t > from && job === busy) value += REQUESTS[regime(t)][code];
        lines.push(`http_requests_total{job="${job}",code="${code}"} ${value} ${t}`);
      }
    }
  }
  lines.push('# HELP http_request_duration_seconds Time to answer a request.', '# TYPE http_request_duration_seconds histogram', '# UNIT http_request_duration_seconds seconds');
  for (const job of [busy, idle]) {
    const cumulative = LE.map(() => 0);
    let sum = 0;
    for (let t = from; t <= to; t += step) {
      if (t > from && job === busy) {
        BUCKETS[regime(t)].forEach((n, i) => (cumulative[i] += n));
        sum += SUM_PER_STEP[regime(t)];
      }
      LE.forEach((le, i) => lines.push(`http_request_duration_seconds_bucket{job="${job}",le="${le}"} ${cumulative[i]} ${t}`));
      lines.push(`http_request_duration_seconds_count{job="${job}"} ${cumulative[LE.length - 1]} ${t}`);
      lines.push(`http_request_duration_seconds_sum{job="${job}"} ${sum} ${t}`);
    }
  }
  lines.push('# EOF');

  // 30 days back from `to`: the increments of every step after the first sample inside the window.
  let errors30 = 0;
  let total30 = 0;
  for (let t = to - 30 * 86_400 + step; t <= to; t += step) {
    if (t <= from) continue;
    const r = REQUESTS[regime(t)];
    errors30 += r['500'];
    total30 += r['200'] + r['404'] + r['500'];
  }
  const incident = REQUESTS.incident;
  const errorRatio30d = errors30 / total30;
  return {
    text: `${lines.join('\n')}\n`,
    from,
    to,
    expected: {
      availability30d: 100 * (1 - errorRatio30d),
      errorRatio1h: incident['500'] / (incident['200'] + incident['404'] + incident['500']),
      errorRatio30d,
      latencyP99Seconds: histogramQuantile(0.99, LE.slice(0, -1).map(Number).concat(Infinity), [...BUCKETS.incident]),
    },
  };
}
