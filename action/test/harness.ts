/**
 * A real Yardstick server for the gate's end-to-end tests: the example organisation on an
 * in-memory PGlite store, test-only checks and tracks (so verdicts do not move when the
 * starter standards change), known default-branch facts for one entity, and a ci token.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/src/app.js';
import { generateToken } from '../../server/src/auth/index.js';
import { loadConfig } from '../../server/src/config.js';
import { Runtime } from '../../server/src/scoring/index.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const ACTION = path.join(ROOT, 'action/dist/index.js');
export const PR_EVENT = path.join(ROOT, 'action/test/fixtures/pull_request.json');
export const REPO = 'larkspur/auth-service';
export const ENTITY = 'component:default/auth-service';
export const HEAD_SHA = '9c4be1d0a7f2c3e5b6a8d9f0e1c2b3a4d5e6f708';

const check = (id: string, facts: string[], rule: unknown, remediation: string) => ({
  id, name: `Test check ${id}`, description: `Test-only check ${id}.`, facts, rule, remediation,
});
const track = (id: string, mode: 'strict' | 'ratchet', levels: [string, string[]][], onUnknown: 'fail' | 'pass' = 'fail') => ({
  id, name: `Track ${id}`, description: `Test-only track ${id}.`,
  levels: levels.map(([lid, checks]) => ({ id: lid, name: lid[0].toUpperCase() + lid.slice(1), checks })),
  gate: { level: levels[0][0], mode, onUnknown },
});

/** Test standards: default-branch facts make gt-license fail (legacy debt) and everything else pass. */
export const STANDARDS = {
  checks: [
    check('gt-coverage-75', ['ci.coverage'], { '>=': [{ var: 'ci.coverage.line' }, 75] }, 'Cover the new code with tests.'),
    check('gt-tests-pass', ['ci.tests'], { and: [{ '>': [{ var: 'ci.tests.total' }, 0] }, { '==': [{ var: 'ci.tests.failed' }, 0] }] }, 'Fix the failing tests.'),
    check('gt-readme', ['github.files'], { '==': [{ var: 'github.files.readme' }, true] }, 'Add a README.md.'),
    check('gt-license', ['github.files'], { '==': [{ var: 'github.files.license' }, true] }, 'Add a LICENSE file.'),
    check('gt-exempted', ['github.files'], { '==': [{ var: 'github.files.contributing' }, true] }, 'Add CONTRIBUTING.md.'),
    check('gt-expired', ['github.files'], { '==': [{ var: 'github.files.securityPolicy' }, true] }, 'Add SECURITY.md.'),
  ],
  tracks: [
    track('gt-strict', 'strict', [['bronze', ['gt-tests-pass', 'gt-readme']], ['silver', ['gt-license']]]),
    track('gt-ratchet', 'ratchet', [['bronze', ['gt-coverage-75', 'gt-license']]]),
    track('gt-exempt', 'strict', [['bronze', ['gt-exempted']]]),
    track('gt-expired', 'strict', [['bronze', ['gt-expired']]]),
  ],
};

/** Write STANDARDS as `checks/*.json` and `tracks/*.json` under `dir`. */
export async function writeStandards(dir: string): Promise<void> {
  await mkdir(path.join(dir, 'checks'), { recursive: true });
  await mkdir(path.join(dir, 'tracks'), { recursive: true });
  for (const c of STANDARDS.checks) await writeFile(path.join(dir, 'checks', `${c.id}.json`), JSON.stringify(c, null, 2));
  for (const t of STANDARDS.tracks) await writeFile(path.join(dir, 'tracks', `${t.id}.json`), JSON.stringify(t, null, 2));
}

/** An lcov report with `hit` of 100 lines covered. */
export const lcov = (hit: number) =>
  `TN:\nSF:src/index.js\n${Array.from({ length: 100 }, (_, i) => `DA:${i + 1},${i < hit ? 1 : 0}`).join('\n')}\nLF:100\nLH:${hit}\nend_of_record\n`;

/** A JUnit report with `failed` of 5 tests failing. */
export const junit = (failed: number) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites tests="5" failures="${failed}">\n  <testsuite name="auth" tests="5" failures="${failed}" errors="0" skipped="0" time="0.5">\n` +
  Array.from({ length: 5 }, (_, i) => (i < failed ? `    <testcase classname="auth" name="t${i}" time="0.1"><failure message="boom">expected 1</failure></testcase>` : `    <testcase classname="auth" name="t${i}" time="0.1"/>`)).join('\n') +
  '\n  </testsuite>\n</testsuites>\n';

export interface TestServer {
  app: FastifyInstance;
  runtime: Runtime;
  url: string;
  /** ci token for larkspur/auth-service. */
  token: string;
  /** ci token for another repository. */
  otherToken: string;
  adminToken: string;
  tmp: string;
  close(): Promise<void>;
}

export async function startServer(): Promise<TestServer> {
  const tmp = await mkdtemp(path.join(tmpdir(), 'ys-gate-'));
  const standards = path.join(tmp, 'standards');
  await writeStandards(standards);
  const config = loadConfig({}, {
    dataDir: 'memory://',
    catalogPaths: [path.join(ROOT, 'examples/catalog/catalog-info.yaml')],
    checksDir: path.join(standards, 'checks'),
    tracksDir: path.join(standards, 'tracks'),
    logLevel: 'silent',
    scheduler: false,
    publicUrl: 'https://yardstick.test',
  });
  const runtime = await Runtime.open(config);
  await runtime.syncCatalog();
  const store = runtime.store;
  await store.facts.write([
    { entityRef: ENTITY, id: 'ci.coverage', data: { line: 82 }, source: 'test' },
    { entityRef: ENTITY, id: 'ci.tests', data: { total: 40, failed: 0 }, source: 'test' },
    { entityRef: ENTITY, id: 'github.files', data: { readme: true, license: false, contributing: false, securityPolicy: false, codeowners: true }, source: 'test' },
  ]);
  const day = 86_400_000;
  await store.exemptions.create({ entityRef: ENTITY, checkId: 'gt-exempted', reason: 'moving docs to the wiki', author: 'lead', expiresAt: new Date(Date.now() + 30 * day).toISOString() }, 'test');
  await store.exemptions.create({ entityRef: ENTITY, checkId: 'gt-expired', reason: 'was due last month', author: 'lead', expiresAt: new Date(Date.now() - day).toISOString() }, 'test');
  const mint = async (name: string, scope: 'ci' | 'admin', repos: string[]) => {
    const t = generateToken();
    await store.tokens.create({ id: t.id, name, hash: t.hash, scope, repos }, 'test');
    return t.token;
  };
  const token = await mint('auth-ci', 'ci', [REPO]);
  const otherToken = await mint('other-ci', 'ci', ['larkspur/ledger-service']);
  const adminToken = await mint('admin', 'admin', []);
  const app = await buildApp({ runtime });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return {
    app, runtime, url: `http://127.0.0.1:${port}`, token, otherToken, adminToken, tmp,
    async close() {
      await app.close();
      await runtime.close();
      await rm(tmp, { recursive: true, force: true });
    },
  };
}

/** A server that accepts connections and answers after `delayMs` (to test timeouts). */
export async function startSlowServer(delayMs: number): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((_req, res) => {
    const timer = setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'), delayMs);
    res.on('close', () => clearTimeout(timer));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }) };
}

/** A URL nothing listens on. */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

export interface ActionRun {
  code: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
}

/** Parse a GITHUB_OUTPUT file (`name<<delimiter` blocks, as @actions/core writes them). */
export function parseOutputFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<=]+)<<(.+)$/.exec(lines[i]);
    if (m) {
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== m[2]; i++) value.push(lines[i]);
      out[m[1]] = value.join('\n');
    } else {
      const eq = lines[i].indexOf('=');
      if (eq > 0) out[lines[i].slice(0, eq)] = lines[i].slice(eq + 1);
    }
  }
  return out;
}

/**
 * Run the bundled action as the runner does: inputs as `INPUT_<NAME>` (upper case, hyphens kept),
 * the event payload file, the output and summary files.
 */
export async function runAction(inputs: Record<string, string>, options: { workspace?: string; event?: string; eventName?: string; env?: Record<string, string> } = {}): Promise<ActionRun> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ys-runner-'));
  const outputFile = path.join(dir, 'output');
  const summaryFile = path.join(dir, 'summary');
  await writeFile(outputFile, '');
  await writeFile(summaryFile, '');
  const workspace = options.workspace ?? path.join(dir, 'workspace');
  await mkdir(workspace, { recursive: true });
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: dir,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: options.eventName ?? 'pull_request',
    GITHUB_EVENT_PATH: options.event ?? PR_EVENT,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_REPOSITORY: REPO,
    GITHUB_SHA: 'f00dbabe00000000000000000000000000000000',
    GITHUB_REF: 'refs/pull/42/merge',
    GITHUB_WORKSPACE: workspace,
    RUNNER_TEMP: dir,
    ...options.env,
  };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  const child = spawn(process.execPath, [ACTION], { cwd: workspace, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)));
  const result: ActionRun = { code, stdout, stderr, outputs: parseOutputFile(await readFile(outputFile, 'utf8')), summary: await readFile(summaryFile, 'utf8') };
  await rm(dir, { recursive: true, force: true });
  return result;
}
