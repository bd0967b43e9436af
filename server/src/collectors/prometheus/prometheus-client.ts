/** A minimal client of Prometheus's instant query API (`/api/v1/query`). */

export interface InstantResult {
  /** The single number the query produced; null for an empty result or NaN/±Inf. */
  value: number | null;
  warnings: string[];
}

/** Why a query failed; `unreachable` errors mean the next query would fail the same way. */
export class PrometheusError extends Error {
  constructor(
    message: string,
    readonly unreachable = false,
  ) {
    super(message);
    this.name = 'PrometheusError';
  }
}

interface ApiBody {
  status?: string;
  errorType?: string;
  error?: string;
  warnings?: string[];
  data?: { resultType?: string; result?: unknown };
}

function sampleValue(raw: unknown): number | null {
  // Prometheus sends sample values as strings: "0.5", "NaN", "+Inf", "-Inf".
  if (!Array.isArray(raw) || typeof raw[1] !== 'string') throw new PrometheusError(`unexpected sample ${JSON.stringify(raw)}`);
  const n = Number(raw[1]);
  return Number.isFinite(n) ? n : null;
}

/**
 * Evaluate `query` at `time` (default: now) and return its one value. A vector with more than
 * one series is an error: the templates aggregate, so several series mean a broken template.
 */
export async function queryInstant(
  baseUrl: string,
  query: string,
  options: { signal?: AbortSignal; timeoutMs?: number; time?: Date; headers?: Record<string, string>; fetch?: typeof fetch } = {},
): Promise<InstantResult> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const signals = [AbortSignal.timeout(timeoutMs)];
  if (options.signal) signals.push(options.signal);
  const body = new URLSearchParams({ query, timeout: `${Math.max(1, Math.floor(timeoutMs / 1000))}s` });
  if (options.time) body.set('time', (options.time.getTime() / 1000).toFixed(3));
  let res: Response;
  try {
    res = await (options.fetch ?? fetch)(`${baseUrl.replace(/\/+$/, '')}/api/v1/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', ...options.headers },
      body,
      signal: AbortSignal.any(signals),
    });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    const why = e.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (e.cause?.code ?? e.cause?.message ?? e.message);
    throw new PrometheusError(`Prometheus at ${baseUrl} unreachable: ${why}`, e.name !== 'AbortError');
  }
  const text = await res.text();
  let json: ApiBody;
  try {
    json = JSON.parse(text) as ApiBody;
  } catch {
    throw new PrometheusError(`Prometheus answered ${res.status} ${res.statusText} with no JSON: ${text.slice(0, 200)}`, res.status >= 500);
  }
  if (json.status === 'error') {
    throw new PrometheusError(`Prometheus ${json.errorType ?? 'error'} (${res.status}): ${json.error ?? 'no message'}`, res.status === 503);
  }
  if (json.status !== 'success' || !json.data) throw new PrometheusError(`Prometheus answered ${res.status} without a result: ${text.slice(0, 200)}`);
  const warnings = Array.isArray(json.warnings) ? json.warnings.map(String) : [];
  const { resultType, result } = json.data;
  if (resultType === 'scalar') return { value: sampleValue(result), warnings };
  if (resultType === 'vector' && Array.isArray(result)) {
    if (result.length === 0) return { value: null, warnings };
    if (result.length > 1) throw new PrometheusError(`query returned ${result.length} series, expected one: ${query}`);
    return { value: sampleValue((result[0] as { value?: unknown }).value), warnings };
  }
  throw new PrometheusError(`unexpected result type ${resultType ?? 'none'} for ${query}`);
}
