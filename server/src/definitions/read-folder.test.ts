import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatProblems } from '../engine/load-definitions.js';
import { readDefinitionsFolder } from './read-folder.js';

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

describe('readDefinitionsFolder', () => {
  it('reads checks and tracks, skipping schema files, and reports relative paths', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'ys-defs-'));
    dirs.push(root);
    await mkdir(path.join(root, 'checks'));
    await mkdir(path.join(root, 'tracks'));
    const base = { name: 'N', description: 'D', remediation: 'R', facts: ['catalog.descriptor'] };
    await writeFile(path.join(root, 'checks', 'check.schema.json'), '{ not even json');
    await writeFile(path.join(root, 'checks', 'has-owner.json'), JSON.stringify({ id: 'has-owner', ...base, rule: { '!!': [{ var: 'catalog.descriptor.owner' }] } }));
    await writeFile(path.join(root, 'checks', 'typo.json'), JSON.stringify({ id: 'typo', ...base, rule: { var: 'catalog.descriptor.ownr' } }));
    await writeFile(path.join(root, 'tracks', 'basics.json'), JSON.stringify({ id: 'basics', name: 'B', description: 'D', levels: [{ id: 'bronze', name: 'Bronze', checks: ['has-owner'] }] }));
    const { definitions, problems } = await readDefinitionsFolder(root, { 'catalog.descriptor': { type: 'object', properties: { owner: { type: 'string' } } } });
    expect([...definitions.checks.keys()]).toEqual(['has-owner']);
    expect([...definitions.tracks.keys()]).toEqual(['basics']);
    expect(formatProblems(problems)).toBe('checks/typo.json /rule/var: unknown fact path "catalog.descriptor.ownr": fact "catalog.descriptor" has no "ownr" (did you mean "owner"?)');
  });

  it('treats missing folders as empty', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'ys-defs-'));
    dirs.push(root);
    const { definitions, problems } = await readDefinitionsFolder(root, {});
    expect([definitions.checks.size, definitions.tracks.size, problems]).toEqual([0, 0, []]);
  });
});
