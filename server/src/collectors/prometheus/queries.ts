/**
 * PromQL templates of the `prometheus.slo` figures. Placeholders: `{{selector}}` (the entity's
 * label matchers), `{{requests}}` (request counter), `{{errors}}` (matcher picking failed
 * requests), `{{duration}}` (request duration histogram, without `_bucket`).
 *
 * Ratios take care that "no data" stays null: an error counter with no series at all counts
 * as 0 only when the request counter exists (`or … * 0`), and 0/0 (no traffic) is NaN → null.
 */
export const QUERY_TEMPLATES = {
  availability30d:
    '100 * (1 - ((sum(increase({{requests}}{{{selector}},{{errors}}}[30d])) or (sum(increase({{requests}}{{{selector}}}[30d])) * 0)) / sum(increase({{requests}}{{{selector}}}[30d]))))',
  errorRatio1h:
    '(sum(rate({{requests}}{{{selector}},{{errors}}}[1h])) or (sum(rate({{requests}}{{{selector}}}[1h])) * 0)) / sum(rate({{requests}}{{{selector}}}[1h]))',
  errorRatio30d:
    '(sum(increase({{requests}}{{{selector}},{{errors}}}[30d])) or (sum(increase({{requests}}{{{selector}}}[30d])) * 0)) / sum(increase({{requests}}{{{selector}}}[30d]))',
  latencyP99Seconds: 'histogram_quantile(0.99, sum by (le) (rate({{duration}}_bucket{{{selector}}}[1h])))',
} as const;

export type SloFigure = keyof typeof QUERY_TEMPLATES;

/** Metric names and the failed-request matcher; each can be changed in the collector settings. */
export interface MetricNames {
  requests: string;
  errors: string;
  duration: string;
}

export const DEFAULT_METRICS: MetricNames = {
  requests: 'http_requests_total',
  errors: 'code=~"5.."',
  duration: 'http_request_duration_seconds',
};

/** Fill a template. `{{{selector}}}` is `{` + the placeholder + `}` (PromQL braces around it). */
export function fillTemplate(template: string, values: MetricNames & { selector: string }): string {
  return template.replace(/\{\{(selector|requests|errors|duration)\}\}/g, (_m, name: keyof typeof values) => values[name]);
}
