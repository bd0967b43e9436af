import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticHistory } from '../../../../test/prometheus/history.js';
import { startPrometheus, type RunningPrometheus } from '../../../../test/prometheus/start.js';
import type { Entity } from '../../engine/types.js';
import type { CollectorContext } from '../collector.js';
import { prometheusCollector, selectorOf } from './collector.js';
import { queryInstant } from './prometheus-client.js';
import { prometheusSloSchema } from './schema.js';
import { normalizeSelector } from './selector.js';

function entity(name: string, annotations: Record<string, string>): { ref: string; entity: Entity } {
  return { ref: `component:default/${name}`, entity: { apiVersion: 'backstage.io/v1alpha1', kind: 'Component', metadata: { name, annotations }, spec: {} } };
}

function context(entities: { ref: string; entity: Entity }[], settings: Record<string, unknown>): CollectorContext & { warnings: string[] } {
  const warnings: string[] = [];
  return { entities, settings, signal: new AbortController().signal, log: { info() {}, warn: (m: string) => warnings.push(m) }, warnings };
}

describe('label selectors from annotations', () => {
  it.each([
    ['job="payments-api"', 'job="payments-api"'],
    [' job = "payments-api" , env!="dev", ', 'job="payments-api",env!="dev"'],
    ["job=~'pay.*',path!~\"/health\\\"z\"", 'job=~"pay.*",path!~"/health\\"z"'],
    ["name='say \"hi\"'", 'name="say \\"hi\\""'],
  ])('%s → %s', (input, output) => {
    expect(normalizeSelector(input)).toBe(output);
  });

  it.each([
    ['job=payments', 'expected a quoted value after "job="'],
    ['{job="a"}', 'leave out the braces'],
    ['job="a"}) or vector(1) #', 'expected "," between matchers'],
    ['job="a" env="b"', 'expected "," between matchers'],
    ['job="a', 'unterminated string'],
    ['1job="a"', 'expected a label name'],
    ['job=="a"', 'expected a quoted value'],
    ['', 'no matchers'],
  ])('%s is refused: %s', (input, message) => {
    expect(() => normalizeSelector(input)).toThrow(message);
  });

  it.each([
    [{ 'prometheus.io/selector': 'job="x",env="prod"', 'prometheus.io/job': 'ignored' }, 'job="x",env="prod"'],
    [{ 'prometheus.io/job': 'eta-"predictor"' }, 'job="eta-\\"predictor\\""'],
    [{}, undefined],
  ])('annotations %j → %s', (annotations, selector) => {
    expect(selectorOf(entity('e', annotations).entity)).toBe(selector);
  });
});

describe('queryInstant answers', () => {
  let answer: { status: number; body: string } = { status: 200, body: '' };
  const server = createServer((_req, res) => res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body));
  let url: string;
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const vector = (...values: string[]) => JSON.stringify({ status: 'success', data: { resultType: 'vector', result: values.map((v) => ({ metric: {}, value: [1, v] })) } });
  it.each([
    ['one sample', 200, vector('0.25'), { value: 0.25, warnings: [] }],
    ['empty vector → null', 200, vector(), { value: null, warnings: [] }],
    ['NaN → null', 200, vector('NaN'), { value: null, warnings: [] }],
    ['+Inf → null', 200, vector('+Inf'), { value: null, warnings: [] }],
    ['scalar', 200, JSON.stringify({ status: 'success', data: { resultType: 'scalar', result: [1, '3'] } }), { value: 3, warnings: [] }],
    ['warnings kept', 200, JSON.stringify({ status: 'success', warnings: ['partial response'], data: { resultType: 'vector', result: [] } }), { value: null, warnings: ['partial response'] }],
  ])('%s', async (_name, status, body, expected) => {
    answer = { status, body };
    await expect(queryInstant(url, 'up')).resolves.toEqual(expected);
  });

  it.each([
    ['status error', 422, JSON.stringify({ status: 'error', errorType: 'execution', error: 'query too expensive' }), 'Prometheus execution (422): query too expensive'],
    ['not JSON', 502, '<html>Bad Gateway</html>', 'Prometheus answered 502 Bad Gateway with no JSON'],
    ['several series', 200, vector('1', '2'), 'query returned 2 series, expected one'],
    ['matrix', 200, JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [] } }), 'unexpected result type matrix'],
  ])('%s is an error', async (_name, status, body, message) => {
    answer = { status, body };
    await expect(queryInstant(url, 'up')).rejects.toThrow(message);
  });

  it('times out', async () => {
    const slow = createServer(() => {});
    await new Promise<void>((r) => slow.listen(0, '127.0.0.1', r));
    try {
      await expect(queryInstant(`http://127.0.0.1:${(slow.address() as AddressInfo).port}`, 'up', { timeoutMs: 200 })).rejects.toThrow('no answer within 200 ms');
    } finally {
      slow.closeAllConnections();
      slow.close();
    }
  });
});

describe('prometheus collector against a real Prometheus', () => {
  const history = syntheticHistory({ busyJob: 'payments-api', idleJob: 'idle-worker' });
  let prom: RunningPrometheus | null = null;
  const ajv = new Ajv2020({ strict: false });
  beforeAll(async () => {
    prom = await startPrometheus(history.text);
  }, 120_000);
  afterAll(() => prom?.stop());

  it('finds the availability, error ratios and p99 the history implies', async (t) => {
    if (!prom) return t.skip();
    const ctx = context([entity('payments-api', { 'prometheus.io/selector': 'job="payments-api"' }), entity('payments-shorthand', { 'prometheus.io/job': 'payments-api' })], { url: prom.url });
    const run = await prometheusCollector.collect(ctx);
    expect(run.errors).toEqual([]);
    expect(run.facts).toHaveLength(2);
    for (const fact of run.facts) {
      const data = fact.data as Record<string, number>;
      expect(fact.id).toBe('prometheus.slo');
      expect(data.availability30d).toBeCloseTo(history.expected.availability30d, 2);
      expect(data.errorRatio1h).toBeCloseTo(history.expected.errorRatio1h, 4);
      expect(data.errorRatio30d).toBeCloseTo(history.expected.errorRatio30d, 4);
      expect(data.latencyP99Seconds).toBeCloseTo(history.expected.latencyP99Seconds, 3);
      expect(ajv.validate(prometheusSloSchema, data), JSON.stringify(ajv.errors)).toBe(true);
    }
  });

  it.for([
    ['no traffic (0/0 = NaN)', { 'prometheus.io/job': 'idle-worker' }, {}],
    ['no series at all', { 'prometheus.io/job': 'no-such-job' }, {}],
    ['other metric names', { 'prometheus.io/job': 'payments-api' }, { metrics: { requests: 'grpc_server_handled_total', duration: 'grpc_server_handling_seconds' } }],
  ] as const)('%s → nulls, not zeros', async ([, annotations, settings], t) => {
    if (!prom) return t.skip();
    const run = await prometheusCollector.collect(context([entity('x', annotations)], { url: prom.url, ...settings }));
    expect(run.errors).toEqual([]);
    expect(run.facts[0].data).toEqual({ availability30d: null, errorRatio1h: null, errorRatio30d: null, latencyP99Seconds: null });
  });

  it('turns a PromQL error (bad regex in the selector) into an error entry, keeping the other entities', async (t) => {
    if (!prom) return t.skip();
    const run = await prometheusCollector.collect(context([entity('bad', { 'prometheus.io/selector': 'job=~"("' }), entity('good', { 'prometheus.io/job': 'payments-api' })], { url: prom.url }));
    expect(run.facts.map((f) => f.entityRef)).toEqual(['component:default/good']);
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]).toMatchObject({ entityRef: 'component:default/bad', factId: 'prometheus.slo' });
    expect(run.errors[0].message).toMatch(/bad_data \(400\): .*parse error/);
  });

  it('turns a broken query template into an error entry', async (t) => {
    if (!prom) return t.skip();
    const run = await prometheusCollector.collect(context([entity('a', { 'prometheus.io/job': 'payments-api' })], { url: prom.url, queries: { latencyP99Seconds: 'histogram_quantile(0.99, {{selector}}' } }));
    expect(run.facts).toEqual([]);
    expect(run.errors[0].message).toContain('parse error');
  });
});

describe('prometheus collector without a working Prometheus', () => {
  const entities = [entity('a', { 'prometheus.io/job': 'a' }), entity('b', { 'prometheus.io/job': 'b' }), entity('c', { 'prometheus.io/selector': 'job=a' })];

  it('unreachable → an error entry per entity, and a refused selector is reported as such', async () => {
    const started = Date.now();
    const run = await prometheusCollector.collect(context(entities, { url: 'http://127.0.0.1:9', timeoutMs: 2000 }));
    expect(run.facts).toEqual([]);
    expect(run.errors.map((e) => e.entityRef).sort()).toEqual(['component:default/a', 'component:default/b', 'component:default/c']);
    expect(run.errors.find((e) => e.entityRef.endsWith('/a'))!.message).toContain('Prometheus at http://127.0.0.1:9 unreachable');
    expect(run.errors.find((e) => e.entityRef.endsWith('/c'))!.message).toContain('annotation prometheus.io/selector');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it.each([
    [{}, 'no Prometheus URL configured (PROMETHEUS_URL)'],
    [{ url: 'ftp://x' }, 'settings.url must be an http(s) URL'],
    [{ url: 'http://x', queries: { p50: 'x{{{selector}}}' } }, 'settings.queries.p50: unknown figure'],
    [{ url: 'http://x', queries: { errorRatio1h: 'up' } }, 'must be a PromQL template using {{selector}}'],
  ])('settings %j → every entity errs: %s', async (settings, message) => {
    const run = await prometheusCollector.collect(context(entities, settings));
    expect(run.errors).toHaveLength(3);
    expect(run.errors[0].message).toContain(message);
  });

  it('applies only to entities with a selector or job annotation', () => {
    expect(entities.map((e) => prometheusCollector.appliesTo(e.entity))).toEqual([true, true, true]);
    expect(prometheusCollector.appliesTo(entity('n', { 'prometheus.io/job': ' ' }).entity)).toBe(false);
  });
});
