/**
 * The file half of the hostile-input corpus: check files (what `yardstick check validate` and a
 * reload read) and catalog YAML (what the catalog loader reads). Each bad file becomes a problem
 * naming the file and place; the good files beside it still load; nothing throws.
 * Plus the 50 MB body over a real socket.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../server/src/catalog/index.js';
import { compileLogic } from '../../server/src/engine/index.js';
import { loadDefinitionsFromDisk } from '../../server/src/scoring/index.js';
import { openTestApp } from '../../server/src/routes/test-app.js';
import { bigArray, deepRule } from './corpus.js';

const root = resolve(import.meta.dirname, '..', '..');
const good = { id: 'fine', name: 'Fine', description: 'A good check beside the bad one.', facts: ['github.repository'], rule: { '==': [{ var: 'github.repository.archived' }, false] }, remediation: 'None.' };
const checkText = (id: string, rule: string, extra = '') =>
  `{"id":${JSON.stringify(id)},"name":"Hostile","description":"A check built to hurt.","facts":["github.repository"],"rule":${rule},"remediation":"None."${extra}}`;

/** [case, file name, file text, problem that must be reported (file + place)]. */
const checkCorpus: [string, string, string | (() => string), RegExp][] = [
  ['malformed JSON', 'broken.json', '{"id":"broken","rule":', /checks\/broken\.json.*(JSON|Unexpected|parse)/i],
  ['YAML in a .json file', 'yaml.json', 'id: yaml\nrule: true\n', /checks\/yaml\.json/],
  ['facts is a string', 'typed.json', checkText('typed', 'true').replace('["github.repository"]', '"github.repository"'), /checks\/typed\.json.*\/facts/],
  ['rule is missing', 'norule.json', checkText('norule', 'null').replace(',"rule":null', ''), /checks\/norule\.json.*rule/],
  ['name is an object', 'objname.json', checkText('objname', 'true').replace('"name":"Hostile"', '"name":{"$gt":""}'), /checks\/objname\.json.*\/name/],
  ['id does not match the file name', 'named.json', checkText('other-name', 'true'), /checks\/named\.json.*\/id/],
  ['rule nested 10,000 deep', 'deep.json', () => checkText('deep', deepRule(10_000)), /checks\/deep\.json.*\/rule.*(deep|depth|nest)/i],
  ['appliesTo nested 10,000 deep', 'deepapplies.json', () => checkText('deepapplies', 'true', `,"appliesTo":${deepRule(10_000)}`), /checks\/deepapplies\.json.*\/appliesTo/],
  ['a million-element array in the rule', 'wide.json', () => checkText('wide', `{"in":[{"var":"github.repository.defaultBranch"},${bigArray(1_000_000)}]}`), /checks\/wide\.json.*\/rule/],
  ['a backreference regex (not RE2)', 'backref.json', checkText('backref', '{"regex_match":["(a)\\\\1",{"var":"github.repository.description"}]}'), /checks\/backref\.json.*\/rule\/regex_match/],
  ['control characters in the id', 'ctl.json', checkText('c\u0007t\u001bl', 'true'), /checks\/ctl\.json.*\/id/],
  ['unicode file name and id', 'prüfung.json', checkText('prüfung', 'true'), /checks\/prüfung\.json.*\/id/],
  ['an unknown fact path with a RTL override', 'rtl.json', checkText('rtl', '{"==":[{"var":"github.repository.\u202edelvihcra"},true]}'), /checks\/rtl\.json.*\/rule/],
];

describe('hostile check files (check validate, reload)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ys-hostile-checks-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it.each(checkCorpus)('%s: a problem naming the file and place; the good check still loads', async (_name, file, text, problem) => {
    const d = await mkdtemp(join(dir, 'case-'));
    await mkdir(join(d, 'checks'));
    await mkdir(join(d, 'tracks'));
    await writeFile(join(d, 'checks', 'fine.json'), JSON.stringify(good));
    await writeFile(join(d, 'checks', file), typeof text === 'function' ? text() : text);
    const { definitions, problems } = await loadDefinitionsFromDisk({ checksDir: join(d, 'checks'), tracksDir: join(d, 'tracks') });
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.map((p) => `${p.file} ${p.pointer} ${p.message}`).join('\n')).toMatch(problem);
    expect([...definitions.checks.keys()]).toEqual(['fine']);
  });

  it('yardstick check validate on the 10,000-deep rule exits 1 naming the file, without a stack trace', async () => {
    const d = await mkdtemp(join(dir, 'cli-'));
    await mkdir(join(d, 'checks'));
    await mkdir(join(d, 'tracks'));
    await writeFile(join(d, 'checks', 'deep.json'), checkText('deep', deepRule(10_000)));
    const r = await promisify(execFile)(process.execPath, [join(root, 'bin', 'yardstick.js'), 'check', 'validate', d], {
      cwd: root, env: { ...process.env, YARDSTICK_FROM_SOURCE: '1', DATABASE_URL: '' },
    }).then(() => ({ code: 0, stderr: '' }), (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/deep\.json \/rule.*(deep|depth|nest)/i);
    expect(r.stderr).not.toMatch(/RangeError|Maximum call stack|at .*\.ts:\d+/);
  }, 60_000);

  it('regex_match with a catastrophic-backtracking pattern returns quickly (re2js is linear time)', () => {
    const compiled = compileLogic({ regex_match: ['^(a+)+$', { var: 'x' }] });
    expect(compiled.problems).toEqual([]);
    for (const n of [30, 1_000, 100_000]) {
      const started = Date.now();
      expect(compiled.compiled!.evaluate({ x: `${'a'.repeat(n)}!` })).toBe(false);
      expect(Date.now() - started).toBeLessThan(2_000);
    }
  });
});

const entity = (name: string, extra = '') => `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${name}\n${extra}spec:\n  type: service\n  lifecycle: production\n  owner: team-a\n`;
const locationDoc = (target: string) => `apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: loc\nspec:\n  targets:\n    - ${JSON.stringify(target)}\n`;

/** [case, YAML document placed between two good entities, problem]. */
const catalogCorpus: [string, string, RegExp][] = [
  ['malformed YAML', 'metadata: [unclosed\n  name: x', /catalog-info\.yaml/],
  ['name of the wrong type', entity('[1, 2]'), /metadata.name must be string/],
  ['a YAML alias bomb', `a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n`, /catalog-info\.yaml/],
  ['control characters in the entity name', entity('"pay\\u0000ments\\u001b"'), /metadata\.name/],
  ['unicode entity name', entity('zahlungsdienst-ü'), /metadata\.name/],
  ['Location escaping the catalog folder', locationDoc('../../etc/passwd'), /escapes the catalog root/],
  ['Location at the cloud metadata address', locationDoc('http://169.254.169.254/latest/meta-data/'), /link-local or cloud metadata|not in the allowed hosts/],
  ['Location at the metadata address in decimal', locationDoc('http://2852039166/'), /link-local or cloud metadata|not in the allowed hosts/],
  ['Location at localhost, not on the allow-list', locationDoc('http://localhost:1/catalog-info.yaml'), /not in the allowed hosts/],
  ['Location with a file: URL', locationDoc('file:///etc/passwd'), /Location target/],
];

describe('hostile catalog files', () => {
  it.each(catalogCorpus)('%s: a problem naming the file; the good entities still load', async (_name, doc, problem) => {
    const dir = await mkdtemp(join(tmpdir(), 'ys-hostile-catalog-'));
    try {
      await mkdir(join(dir, 'cat'));
      await writeFile(join(dir, 'cat', 'catalog-info.yaml'), [entity('good-1'), doc, entity('good-2')].join('\n---\n'));
      const { catalog, problems } = await loadCatalog({ paths: [join(dir, 'cat', 'catalog-info.yaml')], allowedHosts: ['github.example'] });
      expect(problems.length).toBeGreaterThan(0);
      expect(problems.map((p) => `${p.file} ${p.message}`).join('\n')).toMatch(problem);
      expect(catalog.entities.map((e) => e.ref)).toEqual(expect.arrayContaining(['component:default/good-1', 'component:default/good-2']));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('a 50 MB body over a real socket', () => {
  it('is refused with 413 and the server keeps answering', async () => {
    const t = (await openTestApp())!;
    try {
      const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
      const body = `{"repo":"larkspur/payments-api","sha":"${'d'.repeat(40)}","pad":"${'x'.repeat(50 * 1024 * 1024)}"}`;
      const res = await fetch(`${address}/api/v1/gate`, { method: 'POST', body, headers: { 'content-type': 'application/json', authorization: `Bearer ${t.tokens.ciThis}` } }).catch((e: Error) => e);
      // The server may answer 413 and close before the client finished sending; either way no verdict.
      if (!(res instanceof Error)) {
        expect(res.status).toBe(413);
        expect((await res.json()).error.code).toBe('YS_ERR_BODY_TOO_LARGE');
      }
      expect((await fetch(`${address}/healthz`)).status).toBe(200);
      expect(await t.runtime.store.gates.list({ repo: 'larkspur/payments-api' })).toEqual([]);
    } finally {
      await t.close();
    }
  }, 60_000);
});
