/** `yardstick gate` against a real server: exit codes and every output format (JUnit parsed back). */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseGateArgs, runGateCli } from '../../server/src/cli/gate.js';
import { closedPortUrl, ENTITY, HEAD_SHA, REPO, ROOT, startServer, startSlowServer, junit, lcov, type TestServer } from './harness.js';

let server: TestServer;
let dir: string;
beforeAll(async () => {
  server = await startServer();
  dir = await mkdtemp(path.join(tmpdir(), 'ys-cli-'));
  await writeFile(path.join(dir, 'green.xml'), junit(0));
  await writeFile(path.join(dir, 'red.xml'), junit(1));
  await writeFile(path.join(dir, 'high.info'), lcov(90));
  await writeFile(path.join(dir, 'low.info'), lcov(50));
});
afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

async function gate(extra: string[], base = () => ['--server', server.url, '--token', server.token, '--repo', REPO, '--sha', HEAD_SHA, '--pr', '42']) {
  let out = '';
  let err = '';
  let code: number;
  try {
    code = await runGateCli(parseGateArgs([...base(), ...extra].map(resolveArg)), { out: (t) => (out += t), err: (l) => (err += `${l}\n`) });
  } catch (e) {
    code = 2;
    err += (e as Error).message;
  }
  return { code, out, err };
}
/** A fixture file: `@name` in a table row, resolved once the folder exists. */
const f = (name: string) => `@${name}`;
const resolveArg = (a: string) => (a.startsWith('@') ? path.join(dir, a.slice(1)) : a);

describe('yardstick gate', () => {
  it.each([
    ['strict pass', 0, ['--track', 'gt-strict', '--junit', f('green.xml')]],
    ['strict fail', 1, ['--track', 'gt-strict', '--junit', f('red.xml')]],
    ['ratchet pass with legacy failures', 0, ['--track', 'gt-ratchet', '--lcov', f('high.info')]],
    ['ratchet fail on a coverage regression', 1, ['--track', 'gt-ratchet', '--lcov', f('low.info')]],
    ['exempted check', 0, ['--track', 'gt-exempt']],
    ['expired exemption', 1, ['--track', 'gt-expired']],
    ['mode override', 1, ['--track', 'gt-ratchet', '--lcov', f('high.info'), '--mode', 'strict']],
  ])('%s → exit %i', async (_name, code, args) => {
    const r = await gate(args as string[]);
    expect(r.code, r.err).toBe(code);
    expect(r.out).toContain(code === 0 ? 'Yardstick gate passed' : 'Yardstick gate failed');
  });

  it('server down → exit 2', async () => {
    const url = await closedPortUrl();
    const r = await gate(['--track', 'gt-strict'], () => ['--server', url, '--token', server.token, '--repo', REPO, '--sha', HEAD_SHA]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/no verdict: cannot reach .*ECONNREFUSED/);
  });

  it('server slower than --timeout → exit 2', async () => {
    const slow = await startSlowServer(5000);
    try {
      const r = await gate(['--timeout', '0.3'], () => ['--server', slow.url, '--token', server.token, '--repo', REPO, '--sha', HEAD_SHA]);
      expect(r.code).toBe(2);
      expect(r.err).toContain('no answer from');
    } finally {
      await slow.close();
    }
  });

  it.each([
    [['--server', 'nope', '--token', 't', '--repo', REPO, '--sha', HEAD_SHA], '--server: "nope" is not a URL'],
    [['--server', 'http://x.test', '--repo', REPO, '--sha', HEAD_SHA], '--token is required'],
    [['--server', 'http://x.test', '--token', 't', '--repo', 'just-a-name', '--sha', HEAD_SHA], '--repo must be owner/name'],
    [['--server', 'http://x.test', '--token', 't', '--repo', REPO, '--sha', 'main'], '--sha must be a commit hash'],
    [['--server', 'http://x.test', '--token', 't', '--repo', REPO, '--sha', HEAD_SHA, '--format', 'html'], '--format must be one of'],
  ])('bad input %j → exit 2', async (args, message) => {
    const r = await gate([], () => args);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
  });

  it('a repository without entities → exit 2 with the server\'s explanation', async () => {
    const r = await gate([], () => ['--server', server.url, '--token', server.adminToken, '--repo', 'larkspur/nothing-here', '--sha', HEAD_SHA]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('404 YS_ERR_GATE_NO_ENTITIES');
    expect(r.err).toContain('github.com/project-slug: larkspur/nothing-here');
  });

  it('writes JUnit that CI tools read: a suite per entity × track, a testcase per check, failures for blocking checks', async () => {
    const out = path.join(dir, 'gate.xml');
    const r = await gate(['--track', 'gt-strict', '--track', 'gt-ratchet', '--junit', f('red.xml'), '--lcov', f('high.info'), '--format', 'junit', '--output', out]);
    expect(r.code).toBe(1);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name) }).parse(await readFile(out, 'utf8'));
    const suites = doc.testsuites.testsuite as { name: string; tests: string; failures: string; skipped: string; testcase: { name: string; failure?: { message: string; type: string; '#text': string }; skipped?: unknown }[] }[];
    expect(suites.map((s) => s.name)).toEqual([`${ENTITY} / Track gt-strict`, `${ENTITY} / Track gt-ratchet`]);
    const strict = suites[0];
    expect([strict.tests, strict.failures, strict.skipped]).toEqual(['3', '1', '1']);
    const failing = strict.testcase.find((c) => c.failure);
    expect(failing?.name).toBe('gt-tests-pass: Test check gt-tests-pass');
    expect(failing?.failure?.['#text']).toContain('Fix: Fix the failing tests.');
    expect(strict.testcase.find((c) => c.name.startsWith('gt-license'))?.skipped).toBeDefined();
    const ratchet = suites[1];
    expect([ratchet.tests, ratchet.failures]).toEqual(['2', '0']);
    expect(doc.testsuites.failures).toBe('1');
  });

  it.each(['json', 'markdown', 'text'] as const)('prints %s', async (format) => {
    const r = await gate(['--track', 'gt-strict', '--junit', f('green.xml'), '--format', format]);
    expect(r.code).toBe(0);
    if (format === 'json') expect(JSON.parse(r.out)).toMatchObject({ verdict: 'pass', repo: REPO, sha: HEAD_SHA, pullRequest: 42 });
    if (format === 'markdown') expect(r.out).toContain('| Entity | Track | Default branch | This pull request | Required | Mode | Result |');
    if (format === 'text') expect(r.out).toContain(`PASS  ${ENTITY} — Track gt-strict [strict]`);
  });

  it('runs as a process with the documented exit code', async () => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/yardstick.js'), 'gate', '--server', server.url, '--token', server.token, '--repo', REPO, '--sha', HEAD_SHA, '--track', 'gt-strict', '--junit', path.join(dir, 'red.xml')], {
      cwd: ROOT, env: { ...process.env, YARDSTICK_FROM_SOURCE: '1' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)));
    expect(code).toBe(1);
    expect(out).toContain('FAIL  component:default/auth-service — Track gt-strict');
  });
});
