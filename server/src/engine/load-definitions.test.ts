import { describe, expect, it } from 'vitest';
import { formatProblems, loadDefinitions } from './load-definitions.js';
import { check, FACT_SCHEMAS, track } from './test/fixtures.js';
import type { DefinitionFile } from './types.js';

const load = (checks: DefinitionFile[], tracks: DefinitionFile[] = []) => loadDefinitions({ checks, tracks, factSchemas: FACT_SCHEMAS });
const rule = (r: unknown) => ({ rule: r });

describe('loadDefinitions accepts', () => {
  it('valid checks and tracks', () => {
    const { definitions, problems } = load(
      [check('a'), check('b', { facts: ['github.repository', 'ci-report.coverage'], rule: { '>=': [{ var: 'ci-report.coverage.lines' }, 80] } })],
      [track('basics', [['bronze', ['a']], ['silver', ['b']]], { gate: { level: 'bronze', mode: 'strict' } })],
    );
    expect(problems).toEqual([]);
    expect([...definitions.checks.keys()]).toEqual(['a', 'b']);
    expect(definitions.tracks.get('basics')!.definition.gate).toEqual({ level: 'bronze', mode: 'strict', onUnknown: 'fail' });
    expect(definitions.version).toMatch(/^[0-9a-f]{12}$/);
  });

  it.each([
    ['nested property', { '==': [{ var: 'github.repository.defaultBranch.protected' }, true] }],
    ['whole fact', { '!!': [{ var: 'github.repository' }] }],
    ['array index and item $ref', { '>': [{ var: 'github.repository.files.0.size' }, 0] }],
    ['array length', { '>': [{ var: 'github.repository.topics.length' }, 0] }],
    ['additionalProperties', { '>': [{ var: 'github.repository.languages.TypeScript' }, 0] }],
    ['item scope of some', { some: [{ var: 'github.repository.files' }, { '==': [{ var: 'path' }, 'README.md'] }] }],
    ['entity paths', { and: [{ '==': [{ var: 'entity.kind' }, 'Component'] }, { var: 'entity.metadata.annotations.x' }, { var: 'entity.spec.type' }] }],
    ['extra operators', { and: [{ '<': [{ age_days: { var: 'github.repository.pushedAt' } }, 90] }, { regex_match: ['^main$', { var: 'github.repository.defaultBranch.name' }] }] }],
  ])('a rule reading %s', (_name, r) => {
    expect(formatProblems(load([check('a', rule(r))]).problems)).toBe('');
  });

  it('gives the same version for the same content, whatever the key order or file order', () => {
    const v1 = load([check('a'), check('b')]).definitions.version;
    const reordered = { ...check('a'), text: JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(check('a').text)).reverse())) };
    const v2 = load([check('b'), reordered]).definitions.version;
    const v3 = load([check('a', { name: 'Other' }), check('b')]).definitions.version;
    expect(v2).toBe(v1);
    expect(v3).not.toBe(v1);
  });
});

const broken: [string, DefinitionFile[], DefinitionFile[], string, string, RegExp][] = [
  ['invalid JSON (line/column)', [{ file: 'checks/a.json', text: '{\n  "id": "a",\n  "name": x\n}' }], [], 'checks/a.json', '', /invalid JSON at line 3, column 11/],
  ['truncated JSON', [{ file: 'checks/a.json', text: '{ "id": "a"' }], [], 'checks/a.json', '', /invalid JSON at line 1, column 12/],
  ['unknown field', [check('a', { severity: 'high' })], [], 'checks/a.json', '/severity', /unknown field "severity"/],
  ['typo in a field name', [check('a', { remediaton: 'x' })], [], 'checks/a.json', '/remediaton', /did you mean "remediation"/],
  ['wrong type', [check('a', { facts: 'github.repository' })], [], 'checks/a.json', '/facts', /wrong type: must be array, got string/],
  ['bad enum', [check('a', { effort: 'huge' })], [], 'checks/a.json', '/effort', /must be one of "low", "medium", "high"/],
  ['no name', [check('a', { name: undefined })], [], 'checks/a.json', '/name', /missing required field "name"/],
  ['no description', [check('a', { description: undefined })], [], 'checks/a.json', '/description', /missing required field "description"/],
  ['no remediation', [check('a', { remediation: undefined })], [], 'checks/a.json', '/remediation', /missing required field "remediation"/],
  ['empty remediation', [check('a', { remediation: '' })], [], 'checks/a.json', '/remediation', /must not be empty/],
  ['bad id pattern', [check('a', { id: 'Has_Owner' })], [], 'checks/a.json', '/id', /must match pattern/],
  ['id ≠ file name', [check('a', { id: 'b' })], [], 'checks/a.json', '/id', /id "b" must equal the file name "a"/],
  ['duplicate id', [check('a'), { ...check('a'), file: 'other/a.json' }], [], 'other/a.json', '/id', /duplicate id "a" \(also in checks\/a.json\)/],
  ['unknown operator', [check('a', rule({ '==': [{ var: 'github.repository.archived' }, { tru: 1 }] }))], [], 'checks/a.json', '/rule/==/1/tru', /unknown JsonLogic operator "tru"/],
  ['unknown fact path (typo)', [check('a', rule({ var: 'github.repository.archivd' }))], [], 'checks/a.json', '/rule/var', /unknown fact path "github.repository.archivd": fact "github.repository" has no "archivd" \(did you mean "archived"\?\)/],
  ['unknown nested path', [check('a', rule({ var: ['github.repository.defaultBranch.protect'] }))], [], 'checks/a.json', '/rule/var/0', /has no "protect" \(did you mean "protected"\?\)/],
  ['unknown path in item scope', [check('a', rule({ all: [{ var: 'github.repository.files' }, { var: 'sise' }] }))], [], 'checks/a.json', '/rule/all/1/var', /item of "github.repository.files" has no "sise" \(did you mean "size"\?\)/],
  ['unknown missing key', [check('a', rule({ missing: ['github.repository.owner'] }))], [], 'checks/a.json', '/rule/missing/0', /has no "owner"/],
  ['fact not declared in facts', [check('a', rule({ var: 'ci-report.coverage.lines' }))], [], 'checks/a.json', '/rule/var', /reads fact "ci-report.coverage", which is not listed in "facts"/],
  ['path into no fact', [check('a', rule({ var: 'gitlab.repo.archived' }))], [], 'checks/a.json', '/rule/var', /unknown fact path "gitlab.repo.archived": no fact in "facts" contains it/],
  ['bad entity path', [check('a', { appliesTo: { '==': [{ var: 'entity.knd' }, 'Component'] } })], [], 'checks/a.json', '/appliesTo/==/0/var', /unknown entity path "entity.knd" \(did you mean "entity.kind"\?\)/],
  ['fact no collector declares', [check('a', { facts: ['github.repository', 'github.repo'] })], [], 'checks/a.json', '/facts/1', /unknown fact "github.repo": no collector declares it \(did you mean "github.repository"\?\)/],
  ['literal regex invalid', [check('a', rule({ regex_match: ['([a-z]', { var: 'github.repository.defaultBranch.name' }] }))], [], 'checks/a.json', '/rule/regex_match/0', /invalid regular expression/],
  ['nesting too deep', [check('a', rule(JSON.parse(`${'{"!":'.repeat(200)}true${'}'.repeat(200)}`)))], [], 'checks/a.json', `/rule${'/!'.repeat(65)}`, /nested deeper than 64 levels/],
  ['track names an unknown check', [check('has-owner')], [track('basics', [['bronze', ['has-ownr']]])], 'tracks/basics.json', '/levels/0/checks/0', /unknown check "has-ownr" \(did you mean "has-owner"\?\)/],
  ['track names an invalid check', [check('a', { name: '' })], [track('basics', [['bronze', ['a']]])], 'tracks/basics.json', '/levels/0/checks/0', /check "a" has problems of its own/],
  ['gate names an unknown level', [check('a')], [track('basics', [['bronze', ['a']]], { gate: { level: 'gold', mode: 'strict' } })], 'tracks/basics.json', '/gate/level', /unknown level "gold"; levels are bronze/],
  ['gate with a bad mode', [check('a')], [track('basics', [['bronze', ['a']]], { gate: { level: 'bronze', mode: 'lenient' } })], 'tracks/basics.json', '/gate/mode', /must be one of "strict", "ratchet"/],
  ['track id ≠ file name', [check('a')], [{ ...track('basics', [['bronze', ['a']]]), file: 'tracks/core.json' }], 'tracks/core.json', '/id', /must equal the file name "core"/],
  ['duplicate level', [check('a')], [track('basics', [['bronze', ['a']], ['bronze', []]])], 'tracks/basics.json', '/levels/1/id', /duplicate level id "bronze"/],
  ['check twice in a track', [check('a')], [track('basics', [['bronze', ['a']], ['silver', ['a']]])], 'tracks/basics.json', '/levels/1/checks/0', /already in level "bronze"/],
  ['track appliesTo reading a fact', [check('a')], [track('basics', [['bronze', ['a']]], { appliesTo: { var: 'github.repository.archived' } })], 'tracks/basics.json', '/appliesTo/var', /a track's appliesTo may read entity\.\* only, not "github.repository.archived"/],
  ['track unknown field', [check('a')], [track('basics', [['bronze', ['a']]], { owner: 'me' })], 'tracks/basics.json', '/owner', /unknown field "owner"/],
];

describe('loadDefinitions rejects', () => {
  it.each(broken)('%s', (_name, checks, tracks, file, pointer, message) => {
    const { problems, definitions } = load(checks, tracks);
    const hit = problems.find((p) => p.file === file && p.pointer === pointer && message.test(p.message));
    expect(hit, formatProblems(problems)).toBeDefined();
    expect(formatProblems([hit!])).toBe(`${file}${pointer ? ` ${pointer}` : ''}: ${hit!.message}`);
    if (file.startsWith('tracks/')) expect(definitions.tracks.size).toBe(0);
  });

  it('keeps the valid checks when one is broken', () => {
    const { definitions, problems } = load([check('good'), check('bad', rule({ var: 'nope.x' }))]);
    expect(problems).toHaveLength(1);
    expect([...definitions.checks.keys()]).toEqual(['good']);
  });

  it('formats problems as one line each', () => {
    const { problems } = load([check('foo', rule({ var: 'github.repository.archivd' }))]);
    expect(formatProblems(problems)).toBe(
      'checks/foo.json /rule/var: unknown fact path "github.repository.archivd": fact "github.repository" has no "archivd" (did you mean "archived"?)',
    );
  });
});
