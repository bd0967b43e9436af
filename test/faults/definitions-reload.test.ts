/**
 * Definitions reloaded while gate requests are in flight: every verdict is computed from one
 * consistent version of checks and tracks and names it (`definitionsVersion`).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, createLogger } from '../../server/src/app.js';
import { loadConfig } from '../../server/src/config.js';
import { createToken } from '../../server/src/routes/test-app.js';
import { Runtime } from '../../server/src/scoring/index.js';
import { openStore } from '../../server/src/store/index.js';

const REPO = 'acme/reloaded';
const SHA = 'b'.repeat(40);
/** The PR's coverage: passes the 50 % bar of version A, fails the 90 % bar of version B. */
const PR_COVERAGE = 70;

const check = (min: number) => ({
  id: 'coverage-bar', name: `Coverage at least ${min}%`, description: 'Line coverage of the default branch.',
  facts: ['ci.coverage'], rule: { '>=': [{ var: 'ci.coverage.line' }, min] }, remediation: `Raise line coverage to ${min}%.`,
});

describe('definitions reloaded during a burst of gate requests', () => {
  let dir: string;
  let runtime: Runtime;
  let app: FastifyInstance;
  let ci: string;
  let admin: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ys-reload-'));
    await mkdir(join(dir, 'checks'));
    await mkdir(join(dir, 'tracks'));
    await writeFile(join(dir, 'checks', 'coverage-bar.json'), JSON.stringify(check(50)));
    await writeFile(join(dir, 'tracks', 'quality.json'), JSON.stringify({
      id: 'quality', name: 'Quality', description: 'Covered code.', levels: [{ id: 'bronze', name: 'Bronze', checks: ['coverage-bar'] }],
      gate: { level: 'bronze', mode: 'strict', onUnknown: 'fail' },
    }));
    const config = loadConfig({}, { catalogPaths: [], checksDir: join(dir, 'checks'), tracksDir: join(dir, 'tracks'), webDir: 'test-output/no-web', logLevel: 'silent', rateLimitPerMinute: 100_000 });
    const store = await openStore({ dataDir: 'memory://' });
    runtime = await Runtime.open(config, { store });
    await store.entities.sync([{
      ref: 'component:default/reloaded', owner: null, system: null,
      entity: { apiVersion: 'backstage.io/v1alpha1', kind: 'Component', metadata: { name: 'reloaded', annotations: { 'github.com/project-slug': REPO } }, spec: { type: 'service' } },
    }]);
    ci = await createToken(runtime, 'reload-ci', 'ci', [REPO]);
    admin = await createToken(runtime, 'reload-admin', 'admin');
    app = await buildApp({ runtime, logger: createLogger(config) });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await runtime?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('each verdict is consistent with the version it names, across six swaps', async () => {
    const versionA = runtime.definitions.version;
    const expected = new Map<string, { verdict: string; remediation: string }>([[versionA, { verdict: 'pass', remediation: '' }]]);
    let swapping = true;
    const answers: { version: string; verdict: string; remediations: string[]; required: string }[] = [];
    const loops = Array.from({ length: 8 }, async () => {
      while (swapping) {
        const res = await app.inject({
          method: 'POST', url: '/api/v1/gate', headers: { authorization: `Bearer ${ci}` },
          payload: { repo: REPO, sha: SHA, facts: [{ id: 'ci.coverage', data: { line: PR_COVERAGE } }] },
        });
        expect(res.statusCode).toBe(200);
        const body = res.json();
        answers.push({
          version: body.definitionsVersion,
          verdict: body.verdict,
          remediations: body.tracks.flatMap((t: { newlyFailing: { remediation: string }[]; stillFailing: { remediation: string }[] }) => [...t.newlyFailing, ...t.stillFailing].map((c) => c.remediation)),
          required: body.tracks[0].requiredLevel,
        });
      }
    });
    for (let swap = 0; swap < 6; swap++) {
      const min = swap % 2 === 0 ? 90 : 50;
      await writeFile(join(dir, 'checks', 'coverage-bar.json'), JSON.stringify(check(min)));
      const res = await app.inject({ method: 'POST', url: '/api/v1/definitions/reload', headers: { authorization: `Bearer ${admin}` } });
      expect(res.statusCode).toBe(200);
      expect(res.json().changed).toBe(true);
      expected.set(res.json().version, min === 90 ? { verdict: 'fail', remediation: 'Raise line coverage to 90%.' } : { verdict: 'pass', remediation: '' });
      await new Promise((r) => setTimeout(r, 50));
    }
    swapping = false;
    await Promise.all(loops);

    expect(expected.size).toBe(2);
    const seen = new Set(answers.map((a) => a.version));
    expect(seen.size).toBe(2);
    for (const a of answers) {
      const want = expected.get(a.version);
      expect(want, `verdict names unknown version ${a.version}`).toBeDefined();
      expect(a.verdict).toBe(want!.verdict);
      expect(a.remediations).toEqual(want!.remediation ? [want!.remediation] : []);
      expect(a.required).toBe('bronze');
    }
    // The recorded verdicts name the same versions as the answers did.
    const recorded = await runtime.store.gates.list({ repo: REPO, limit: 1000 });
    expect(recorded).toHaveLength(answers.length);
    for (const r of recorded) expect(expected.get(r.definitionsVersion)?.verdict).toBe(r.passed ? 'pass' : 'fail');
  });

  it('an invalid file mid-burst is refused (422) and the version in force stays', async () => {
    const before = runtime.definitions.version;
    await writeFile(join(dir, 'checks', 'coverage-bar.json'), '{ "id": "coverage-bar", "rule": ');
    const res = await app.inject({ method: 'POST', url: '/api/v1/definitions/reload', headers: { authorization: `Bearer ${admin}` } });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('YS_ERR_DEFINITIONS_INVALID');
    expect(res.json().error.message).toContain('coverage-bar.json');
    expect(runtime.definitions.version).toBe(before);
    const gate = await app.inject({ method: 'POST', url: '/api/v1/gate', headers: { authorization: `Bearer ${ci}` }, payload: { repo: REPO, sha: SHA } });
    expect(gate.json().definitionsVersion).toBe(before);
  });
});
