import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'yardstick.js');

interface Result { code: number; stdout: string; stderr: string }

async function yardstick(args: string[], env: Record<string, string> = {}, cwd = root): Promise<Result> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], {
      cwd,
      env: { ...process.env, YARDSTICK_FROM_SOURCE: '1', DATABASE_URL: '', ...env },
      timeout: 120_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('yardstick CLI', () => {
  let work: string;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'ys-cli-'));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('prints usage and exits 2 on an unknown command', async () => {
    const r = await yardstick(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown command "frobnicate"');
    expect(r.stderr).toContain('check validate');
  });

  it('validates the shipped standards', async () => {
    const r = await yardstick(['check', 'validate']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\d+ checks and \d+ tracks are valid/);
  });

  it('check validate names the file and field of every problem and exits 1', async () => {
    const dir = join(work, 'standards');
    cpSync(join(root, 'checks'), join(dir, 'checks'), { recursive: true });
    cpSync(join(root, 'tracks'), join(dir, 'tracks'), { recursive: true });
    writeFileSync(join(dir, 'checks', 'has-owner.json'), JSON.stringify({
      id: 'has-owner', name: 'Has an owner', description: 'd', facts: ['catalog.descriptor'],
      rule: { '!!': [{ var: 'catalog.descriptor.ownr' }] }, remediation: 'r',
    }));
    writeFileSync(join(dir, 'checks', 'broken.json'), '{ "id": "broken", ');
    const r = await yardstick(['check', 'validate', dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/checks\/has-owner\.json \/rule.*ownr/);
    expect(r.stderr).toMatch(/checks\/broken\.json.*JSON/i);
  });

  it('evaluate --example prints the example organisation scorecard on the embedded database', async () => {
    const dataDir = join(work, 'data');
    const r = await yardstick(['evaluate', '--example'], { YARDSTICK_DATA_DIR: dataDir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ENTITY\s+OWNER\s+BASICS\s+OPERATIONAL READINESS\s+SECURITY/);
    expect(r.stdout).toMatch(/component:default\/payments-api\s+payments-team\s+Gold/);
    const json = await yardstick(['evaluate', '--json', '--entity', 'component:default/payments-api'], { YARDSTICK_DATA_DIR: dataDir });
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout) as { entities: { ref: string; tracks: { trackId: string; level: string }[] }[] };
    expect(parsed.entities).toHaveLength(1);
    expect(parsed.entities[0].tracks.find((t) => t.trackId === 'basics')?.level).toBe('gold');
  });

  it('facts push rejects a bad fact naming file and pointer, and writes nothing', async () => {
    const dataDir = join(work, 'data');
    const file = join(work, 'bad-facts.json');
    writeFileSync(file, JSON.stringify({ source: 'test', facts: [
      { entityRef: 'component:default/payments-api', id: 'ci.coverage', data: { line: 12 } },
      { entityRef: 'component:default/payments-api', id: 'ci.coverage', data: { line: 'lots' } },
    ] }));
    const r = await yardstick(['facts', 'push', file], { YARDSTICK_DATA_DIR: dataDir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('bad-facts.json: /facts/1/data/line: must be number,null');
    const after = await yardstick(['evaluate', '--json', '--entity', 'component:default/payments-api'], { YARDSTICK_DATA_DIR: dataDir });
    expect(JSON.parse(after.stdout).entities[0].tracks.find((t: { trackId: string }) => t.trackId === 'basics').level).toBe('gold');
  });

  it('facts push stores valid facts and rescores', async () => {
    const dataDir = join(work, 'data');
    const file = join(work, 'good-facts.json');
    writeFileSync(file, JSON.stringify({ source: 'test', facts: [
      { entityRef: 'component:default/payments-api', id: 'ci.coverage', data: { line: 12, branch: 10, function: 20 } },
    ] }));
    const r = await yardstick(['facts', 'push', file], { YARDSTICK_DATA_DIR: dataDir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('1 facts stored, 1 changed');
    const after = await yardstick(['evaluate', '--json', '--entity', 'component:default/payments-api'], { YARDSTICK_DATA_DIR: dataDir });
    expect(JSON.parse(after.stdout).entities[0].tracks.find((t: { trackId: string }) => t.trackId === 'basics').level).toBe('bronze');
  });
});
