import type { JsonSchema } from '../collector.js';

const figure = (description: string, maximum?: number) => ({ type: ['number', 'null'], minimum: 0, ...(maximum === undefined ? {} : { maximum }), description });

/** `prometheus.slo`: service-level figures of one entity. null = no data (no traffic or no series), never 0. */
export const prometheusSloSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['availability30d', 'errorRatio1h', 'errorRatio30d', 'latencyP99Seconds'],
  properties: {
    availability30d: figure('Percent (0–100) of requests over the last 30 days that did not fail with a server error.', 100),
    errorRatio1h: figure('Fraction (0–1) of requests over the last hour that failed with a server error.', 1),
    errorRatio30d: figure('Fraction (0–1) of requests over the last 30 days that failed with a server error.', 1),
    latencyP99Seconds: figure('99th percentile of request duration over the last hour, in seconds.'),
    queriedAt: { type: 'string', format: 'date-time', description: 'Evaluation time of the queries.' },
  },
};

export interface PrometheusSlo {
  availability30d: number | null;
  errorRatio1h: number | null;
  errorRatio30d: number | null;
  latencyP99Seconds: number | null;
  queriedAt?: string;
}
