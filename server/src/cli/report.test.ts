import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Entity } from '../engine/types.js';
import { openTestStore, type TestStore } from '../../../test/support/services.js';
import { parseReportArgs, reportScope, runReport, type ReportOptions } from './report.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '../collectors/ci/fixtures');
const lcov = join(fixtures, 'lcov-node.info');
const junit = join(fixtures, 'junit-node.xml');
const SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';

function component(name: string, slug?: string): { ref: string; entity: Entity; owner: string; system: null } {
  return {
    ref: `component:default/${name}`,
    entity: {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name, annotations: slug ? { 'github.com/project-slug': slug } : {} },
      spec: { type: 'service', lifecycle: 'production', owner: 'group:default/payments-team' },
    },
    owner: 'group:default/payments-team',
    system: null,
  };
}

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
}

describe('parseReportArgs', () => {
  it('reads a full command line', () => {
    expect(parseReportArgs(['--entity', 'payments-api', '--sha', SHA.toUpperCase(), '--pr', '42', '--lcov', 'l.info', '--junit', 'j.xml', '--server', 'https://ys.example/', '--token', 't'])).toEqual({
      entities: ['component:default/payments-api'],
      repo: undefined,
      sha: SHA,
      pr: 42,
      files: { lcov: 'l.info', cobertura: undefined, junit: 'j.xml' },
      server: 'https://ys.example',
      token: 't',
    });
  });

  it.each([
    [['--lcov', 'l'], 'give either --entity REF'],
    [['--entity', 'a', '--repo', 'o/r', '--lcov', 'l'], 'give either --entity REF'],
    [['--repo', 'not-a-slug', '--lcov', 'l'], '--repo must be owner/name'],
    [['--entity', 'a'], 'give at least one report'],
    [['--entity', 'a', '--lcov', 'l', '--cobertura', 'c'], 'give one coverage report'],
    [['--entity', 'a', '--lcov', 'l', '--sha', 'main'], '--sha must be a commit hash'],
    [['--entity', 'a', '--lcov', 'l', '--pr', '0'], '--pr must be a pull request number'],
    [['--entity', 'a', '--lcov', 'l', '--server', 'ftp://x'], '--server must be an http(s) URL'],
    [['--entity', 'a', '--lcov', 'l', '--token', 't'], '--token is only used with --server'],
    [['--entity', 'a', '--lcov', 'l', '--bogus'], "Unknown option '--bogus'"],
  ])('%j → %s', (args, message) => {
    expect(() => parseReportArgs(args)).toThrow(message);
  });

  it.each([
    [{}, ''],
    [{ sha: 'abc1234' }, 'sha:abc1234'],
    [{ pr: 7 }, 'pr:7'],
    [{ sha: 'abc1234', pr: 7 }, 'pr:7'],
  ])('scope of %j is "%s"', (options, scope) => {
    expect(reportScope(options)).toBe(scope);
  });
});

describe('yardstick report → local store (PGlite)', () => {
  let ts: TestStore;
  beforeAll(async () => {
    ts = (await openTestStore('pglite'))!;
    await ts.store.entities.sync([component('payments-api', 'larkspur/payments'), component('payments-worker', 'Larkspur/Payments'), component('other')]);
  });
  afterAll(() => ts?.close());

  const run = (options: Partial<ReportOptions>) => {
    const c = capture();
    return runReport({ entities: [], files: {}, ...options }, { ...c.io, store: ts.store }).then((code) => ({ code, ...c }));
  };

  it('writes the default branch without sha/pr, and a commit under sha:<sha> without touching it', async () => {
    const base = await run({ entities: ['component:default/payments-api'], files: { lcov, junit } });
    expect(base.code).toBe(0);
    expect(base.out[0]).toContain('(default branch)');

    const pr = await run({ entities: ['component:default/payments-api'], files: { cobertura: join(fixtures, 'cobertura-coveragepy.xml') }, sha: SHA });
    expect(pr.code).toBe(0);

    const ref = 'component:default/payments-api';
    const onMain = (await ts.store.facts.latest([ref])).get(ref)!;
    expect(onMain.map((f) => [f.id, f.source, (f.data as { line?: number; total?: number }).line ?? (f.data as { total: number }).total]).sort()).toEqual([
      ['ci.coverage', 'ci-report', 92.68],
      ['ci.tests', 'ci-report', 6],
    ]);
    const onSha = (await ts.store.facts.latest([ref], `sha:${SHA}`)).get(ref)!;
    expect(onSha).toHaveLength(1);
    expect(onSha[0].data).toEqual({ line: 72.73, branch: 50, function: null, linesFound: 11, linesHit: 8, format: 'cobertura', commit: SHA });
  });

  it('resolves --repo to every entity of that repository (case-insensitively)', async () => {
    const r = await run({ repo: 'LARKSPUR/payments', files: { junit }, pr: 12 });
    expect(r.code).toBe(0);
    const latest = await ts.store.facts.latest(['component:default/payments-api', 'component:default/payments-worker', 'component:default/other'], 'pr:12');
    expect([...latest.keys()].sort()).toEqual(['component:default/payments-api', 'component:default/payments-worker']);
  });

  it.each([
    [{ repo: 'larkspur/unknown', files: { junit } }, 'no entity in the catalog has github.com/project-slug: larkspur/unknown'],
    [{ entities: ['component:default/other'], files: { junit: 'missing/junit.xml' } }, 'missing/junit.xml: no such file'],
    [{ entities: ['component:default/other'], files: { lcov: join(fixtures, 'junit-node.xml') } }, `${join(fixtures, 'junit-node.xml')}:1: expected "KEY:value"`],
  ])('exit 2: %j', async (options, message) => {
    const r = await run(options);
    expect(r.code).toBe(2);
    expect(r.err.join('\n')).toContain(message);
  });
});

describe('yardstick report --server', () => {
  const received: { method: string; url: string; auth?: string; body: string }[] = [];
  let url: string;
  let status = 202;
  const server = createServer(async (req: IncomingMessage, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    received.push({ method: req.method!, url: req.url!, auth: req.headers.authorization, body });
    if (req.url?.startsWith('/api/v1/entities')) {
      // Two pages of one entity each, as the API pages its list.
      const offset = Number(new URL(req.url, 'http://x').searchParams.get('offset'));
      const all = [
        { ref: 'component:default/payments-api', githubSlug: 'larkspur/payments' },
        { ref: 'component:default/other', githubSlug: 'larkspur/other' },
        { ref: 'component:default/payments-worker', githubSlug: 'larkspur/payments' },
      ];
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ total: all.length, limit: 2, offset, items: all.slice(offset, offset + 2) }));
      return;
    }
    res.writeHead(status, { 'content-type': 'application/json' }).end(status < 300 ? '{"written":2}' : '{"code":"YS_ERR_FACT_INVALID","message":"Invalid fact: nope"}');
  });
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('POSTs { facts: [{ entityRef, id, data, scope }] } with the bearer token', async () => {
    received.length = 0;
    const c = capture();
    const code = await runReport({ entities: ['component:default/payments-api'], files: { lcov, junit }, pr: 5, server: url, token: 'secret-token' }, c.io);
    expect(code).toBe(0);
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ method: 'POST', url: '/api/v1/facts', auth: 'Bearer secret-token' });
    const body = JSON.parse(received[0].body) as { facts: { entityRef: string; id: string; scope: string; data: object }[] };
    expect(body.facts.map((f) => [f.entityRef, f.id, f.scope])).toEqual([
      ['component:default/payments-api', 'ci.coverage', 'pr:5'],
      ['component:default/payments-api', 'ci.tests', 'pr:5'],
    ]);
    expect(Object.keys(body.facts[0]).sort()).toEqual(['data', 'entityRef', 'id', 'scope']);
  });

  it('resolves --repo through the server’s entity list', async () => {
    received.length = 0;
    const code = await runReport({ entities: [], repo: 'Larkspur/Payments', files: { junit }, server: url }, capture().io);
    expect(code).toBe(0);
    expect(received.map((r) => r.url)).toEqual(['/api/v1/entities?limit=500&offset=0', '/api/v1/entities?limit=500&offset=2', '/api/v1/facts']);
    const body = JSON.parse(received[2].body) as { facts: { entityRef: string }[] };
    expect(body.facts.map((f) => f.entityRef)).toEqual(['component:default/payments-api', 'component:default/payments-worker']);
  });

  it('exits 2 when the server knows no entity of the repository', async () => {
    const c = capture();
    expect(await runReport({ entities: [], repo: 'larkspur/nothing', files: { junit }, server: url }, c.io)).toBe(2);
    expect(c.err[0]).toContain('the server knows no entity with github.com/project-slug: larkspur/nothing');
  });

  it('exits 2 with the server’s message when it refuses', async () => {
    status = 422;
    const c = capture();
    expect(await runReport({ entities: ['component:default/payments-api'], files: { junit }, server: url }, c.io)).toBe(2);
    expect(c.err[0]).toContain('422');
    expect(c.err[0]).toContain('YS_ERR_FACT_INVALID: Invalid fact: nope');
    status = 202;
  });

  it('exits 2 when the server is unreachable', async () => {
    const c = capture();
    expect(await runReport({ entities: ['component:default/x'], files: { junit }, server: 'http://127.0.0.1:9' }, c.io)).toBe(2);
    expect(c.err[0]).toContain('cannot reach http://127.0.0.1:9');
  });
});
