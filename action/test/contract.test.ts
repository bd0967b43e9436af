/** action.yml, the README and the code agree; the event payloads the runner hands over are read right. */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTarget } from '../src/event.js';
import { INPUTS, OUTPUTS } from '../src/settings.js';
import { PR_EVENT, ROOT } from './harness.js';

describe('action.yml', () => {
  it('declares exactly the inputs and outputs the code reads and writes, each in the README table', async () => {
    const meta = parse(await readFile(path.join(ROOT, 'action/action.yml'), 'utf8')) as {
      inputs: Record<string, { default?: string }>; outputs: Record<string, unknown>; runs: { using: string; main: string };
    };
    const readme = await readFile(path.join(ROOT, 'action/README.md'), 'utf8');
    expect(Object.keys(meta.inputs).sort()).toEqual(Object.values(INPUTS).sort());
    expect(Object.keys(meta.outputs).sort()).toEqual(Object.values(OUTPUTS).sort());
    expect(meta.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
    for (const [name, spec] of Object.entries(meta.inputs)) {
      const row = readme.split('\n').find((l) => l.startsWith(`| \`${name}\` |`));
      expect(row, `README row for ${name}`).toBeDefined();
      if (spec.default) expect(row).toContain(`\`${spec.default}\``);
    }
    for (const name of Object.keys(meta.outputs)) expect(readme).toContain(`| \`${name}\` |`);
  });
});

describe('readTarget', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ys-event-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const env = async (eventName: string, payload: unknown) => {
    const file = path.join(dir, `${eventName}.json`);
    await writeFile(file, JSON.stringify(payload));
    return { GITHUB_EVENT_NAME: eventName, GITHUB_EVENT_PATH: file, GITHUB_REPOSITORY: 'larkspur/auth-service', GITHUB_SHA: 'f00dbabe00000000000000000000000000000000' };
  };

  it.each([
    ['pull_request', null, { sha: '9c4be1d0a7f2c3e5b6a8d9f0e1c2b3a4d5e6f708', pullRequest: 42, baseRef: 'main' }],
    ['pull_request_target', null, { sha: '9c4be1d0a7f2c3e5b6a8d9f0e1c2b3a4d5e6f708', pullRequest: 42, baseRef: 'main' }],
    ['merge_group', { merge_group: { head_sha: 'abcdef1234567890abcdef1234567890abcdef12', head_ref: 'refs/heads/gh-readonly-queue/main/pr-17-1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e', base_ref: 'refs/heads/main' } }, { sha: 'abcdef1234567890abcdef1234567890abcdef12', pullRequest: 17, baseRef: 'main' }],
    ['push', { ref: 'refs/heads/main', after: '0123456789abcdef0123456789abcdef01234567' }, { sha: '0123456789abcdef0123456789abcdef01234567', pullRequest: undefined, baseRef: 'main' }],
    ['workflow_dispatch', {}, { sha: 'f00dbabe00000000000000000000000000000000', pullRequest: undefined, baseRef: undefined }],
  ])('%s', async (eventName, payload, expected) => {
    const p = payload ?? JSON.parse(await readFile(PR_EVENT, 'utf8'));
    const target = readTarget(await env(eventName, p));
    expect({ pullRequest: target.pullRequest, baseRef: target.baseRef, sha: target.sha }).toEqual(expected);
    expect(target).toMatchObject({ repo: 'larkspur/auth-service', eventName });
  });

  it('refuses to guess without a repository', () => {
    expect(() => readTarget({ GITHUB_SHA: 'abcdef1' })).toThrow(/GITHUB_REPOSITORY is not set/);
  });
});
