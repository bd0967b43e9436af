/**
 * Turn the text of check and track files into validated, compiled definitions — or a list
 * of problems, each naming the file and a JSON pointer. Pure: the caller reads the files.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import checkSchema from '../../../checks/check.schema.json' with { type: 'json' };
import trackSchema from '../../../tracks/track.schema.json' with { type: 'json' };
import { checkVarRef, factOfPath, type JsonSchema, type PathContext } from './fact-paths.js';
import { parseJsonText } from './json-text.js';
import { closest, compileLogic, escapePointer, type CompiledLogic, type CompileOptions } from './jsonlogic.js';
import { canonicalJson, sha256Hex } from './sha256.js';
import type { CheckDefinition, DefinitionFile, DefinitionProblem, TrackDefinition } from './types.js';

/** A check ready to evaluate: its definition and compiled rules. */
export interface LoadedCheck {
  definition: CheckDefinition;
  rule: CompiledLogic;
  appliesTo?: CompiledLogic;
  /** Facts (or `entity`) that `appliesTo` reads: when one is missing the outcome is `unknown`. */
  appliesToFacts: string[];
}

/** A track ready to evaluate. `definition.gate.onUnknown` is always filled in (default `fail`). */
export interface LoadedTrack {
  definition: TrackDefinition;
  appliesTo?: CompiledLogic;
}

/**
 * Validated, compiled definitions. Only valid checks and tracks are in here; a track that
 * names an invalid check is left out too (and reported).
 *
 * @example
 * ```ts
 * const { definitions, problems } = loadDefinitions({ checks, tracks, factSchemas });
 * if (problems.length) console.error(formatProblems(problems));
 * definitions.version; // "3f9a1c0e2b7d"
 * ```
 */
export interface Definitions {
  /** Short sha256 of the canonical content of every loaded check and track. */
  version: string;
  /** By id, sorted by id. */
  checks: ReadonlyMap<string, LoadedCheck>;
  /** By id, sorted by id. */
  tracks: ReadonlyMap<string, LoadedTrack>;
}

export interface LoadDefinitionsInput {
  checks: DefinitionFile[];
  tracks: DefinitionFile[];
  /** Every fact schema the collectors declare, by fact id. */
  factSchemas: Record<string, JsonSchema>;
  compile?: CompileOptions;
}

const ajv = new Ajv2020({ allErrors: true, strict: true, verbose: true });
const validateCheck = ajv.compile(checkSchema) as ValidateFunction<CheckDefinition>;
const validateTrack = ajv.compile(trackSchema) as ValidateFunction<TrackDefinition>;

/** Load checks and tracks; never throws on bad input. */
export function loadDefinitions(input: LoadDefinitionsInput): { definitions: Definitions; problems: DefinitionProblem[] } {
  const problems: DefinitionProblem[] = [];
  const checks = new Map<string, LoadedCheck>();
  const seenChecks = new Map<string, string>();
  const invalidChecks = new Set<string>();

  for (const f of input.checks) {
    const before = problems.length;
    const value = parseAndValidate(f, validateCheck, problems);
    if (value === undefined) {
      const id = baseName(f.file);
      if (id) invalidChecks.add(id);
      continue;
    }
    const def = stripSchemaKey(value) as unknown as CheckDefinition;
    checkId(f.file, def.id, seenChecks, problems);
    const loaded = compileCheck(f.file, def, input, problems);
    if (problems.length === before && loaded) checks.set(def.id, loaded);
    else invalidChecks.add(def.id);
  }

  const tracks = new Map<string, LoadedTrack>();
  const seenTracks = new Map<string, string>();
  for (const f of input.tracks) {
    const before = problems.length;
    const value = parseAndValidate(f, validateTrack, problems);
    if (value === undefined) continue;
    const def = stripSchemaKey(value) as unknown as TrackDefinition;
    if (def.gate) def.gate = { ...def.gate, onUnknown: def.gate.onUnknown ?? 'fail' };
    checkId(f.file, def.id, seenTracks, problems);
    const loaded = compileTrack(f.file, def, checks, invalidChecks, input.compile, problems);
    if (problems.length === before && loaded) tracks.set(def.id, loaded);
  }

  const sortedChecks = new Map([...checks.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const sortedTracks = new Map([...tracks.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const canonical = canonicalJson({
    checks: [...sortedChecks.values()].map((c) => c.definition),
    tracks: [...sortedTracks.values()].map((t) => t.definition),
  });
  return {
    definitions: { version: sha256Hex(canonical).slice(0, 12), checks: sortedChecks, tracks: sortedTracks },
    problems,
  };
}

/**
 * One line per problem, for a terminal:
 * `checks/foo.json /rule/var: unknown fact path "github.repository.archivd" (did you mean "archived"?)`
 */
export function formatProblems(problems: readonly DefinitionProblem[]): string {
  return problems.map((p) => `${p.file}${p.pointer ? ` ${p.pointer}` : ''}: ${p.message}`).join('\n');
}

function baseName(file: string): string {
  const name = file.split(/[\\/]/).pop() ?? file;
  return name.replace(/\.json$/, '');
}

function stripSchemaKey(value: Record<string, unknown>): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = value;
  return rest;
}

function checkId(file: string, id: string, seen: Map<string, string>, problems: DefinitionProblem[]): void {
  const expected = baseName(file);
  if (id !== expected) problems.push({ file, pointer: '/id', message: `id "${id}" must equal the file name "${expected}"` });
  const other = seen.get(id);
  if (other !== undefined) problems.push({ file, pointer: '/id', message: `duplicate id "${id}" (also in ${other})` });
  else seen.set(id, file);
}

function parseAndValidate(
  f: DefinitionFile,
  validate: ValidateFunction,
  problems: DefinitionProblem[],
): Record<string, unknown> | undefined {
  const parsed = parseJsonText(f.text);
  if (!parsed.ok) {
    problems.push({ file: f.file, pointer: '', message: parsed.message });
    return undefined;
  }
  if (!validate(parsed.value)) {
    for (const e of validate.errors ?? []) problems.push({ file: f.file, ...describeAjvError(e) });
    return undefined;
  }
  return parsed.value as Record<string, unknown>;
}

function describeAjvError(e: ErrorObject): { pointer: string; message: string } {
  const at = e.instancePath;
  switch (e.keyword) {
    case 'additionalProperties': {
      const prop = (e.params as { additionalProperty: string }).additionalProperty;
      const known = Object.keys(((e.parentSchema as Record<string, unknown>)?.properties ?? {}) as object);
      const near = closest(prop, known);
      return { pointer: `${at}/${escapePointer(prop)}`, message: `unknown field "${prop}"${near ? ` (did you mean "${near}"?)` : ''}` };
    }
    case 'required': {
      const prop = (e.params as { missingProperty: string }).missingProperty;
      return { pointer: `${at}/${escapePointer(prop)}`, message: `missing required field "${prop}"` };
    }
    case 'type':
      return { pointer: at, message: `wrong type: must be ${(e.params as { type: string }).type}, got ${typeName(e.data)}` };
    case 'enum':
      return { pointer: at, message: `must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}` };
    case 'minLength':
      return { pointer: at, message: 'must not be empty' };
    default:
      return { pointer: at, message: e.message ?? e.keyword };
  }
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function compileCheck(file: string, def: CheckDefinition, input: LoadDefinitionsInput, problems: DefinitionProblem[]): LoadedCheck | undefined {
  const known = Object.keys(input.factSchemas);
  def.facts.forEach((fact, i) => {
    if (!Object.prototype.hasOwnProperty.call(input.factSchemas, fact)) {
      const near = closest(fact, known);
      problems.push({ file, pointer: `/facts/${i}`, message: `unknown fact "${fact}": no collector declares it${near ? ` (did you mean "${near}"?)` : ''}` });
    }
  });
  const ctx = { declared: def.facts, schemas: input.factSchemas };
  const rule = compileField(file, '/rule', def.rule, ctx, input.compile, problems);
  const appliesTo = def.appliesTo === undefined ? undefined : compileField(file, '/appliesTo', def.appliesTo, ctx, input.compile, problems);
  if (!rule || (def.appliesTo !== undefined && !appliesTo)) return undefined;
  const appliesToFacts = appliesTo ? [...new Set(appliesTo.rootPaths.map((p) => factOfPath(p, def.facts)).filter((f): f is string => f !== null && f !== 'entity'))] : [];
  return { definition: def, rule, appliesTo, appliesToFacts };
}

function compileField(
  file: string,
  base: string,
  logic: unknown,
  ctx: PathContext,
  options: CompileOptions | undefined,
  problems: DefinitionProblem[],
): CompiledLogic | undefined {
  const { compiled, problems: compileProblems } = compileLogic(logic, options);
  for (const p of compileProblems) problems.push({ file, pointer: base + p.pointer, message: p.message });
  if (!compiled) return undefined;
  let ok = true;
  for (const ref of compiled.vars) {
    const message = checkVarRef(ref, ctx);
    if (message) {
      ok = false;
      problems.push({ file, pointer: base + ref.pointer, message });
    }
  }
  return ok ? compiled : undefined;
}

function compileTrack(
  file: string,
  def: TrackDefinition,
  checks: ReadonlyMap<string, LoadedCheck>,
  invalidChecks: ReadonlySet<string>,
  options: CompileOptions | undefined,
  problems: DefinitionProblem[],
): LoadedTrack | undefined {
  const levelIds = new Set<string>();
  const inLevel = new Map<string, string>();
  def.levels.forEach((level, li) => {
    if (levelIds.has(level.id)) problems.push({ file, pointer: `/levels/${li}/id`, message: `duplicate level id "${level.id}"` });
    levelIds.add(level.id);
    level.checks.forEach((checkId, ci) => {
      const pointer = `/levels/${li}/checks/${ci}`;
      if (invalidChecks.has(checkId)) {
        problems.push({ file, pointer, message: `check "${checkId}" has problems of its own (see checks/${checkId}.json)` });
      } else if (!checks.has(checkId)) {
        const near = closest(checkId, checks.keys());
        problems.push({ file, pointer, message: `unknown check "${checkId}"${near ? ` (did you mean "${near}"?)` : ''}` });
      }
      const other = inLevel.get(checkId);
      if (other !== undefined) problems.push({ file, pointer, message: `check "${checkId}" is already in level "${other}"` });
      else inLevel.set(checkId, level.id);
    });
  });
  if (def.gate && !levelIds.has(def.gate.level)) {
    const near = closest(def.gate.level, levelIds);
    problems.push({ file, pointer: '/gate/level', message: `unknown level "${def.gate.level}"${near ? ` (did you mean "${near}"?)` : ''}; levels are ${[...levelIds].join(', ')}` });
  }
  if (def.appliesTo === undefined) return { definition: def };
  // A track has no facts of its own: its appliesTo may read the entity only.
  const appliesTo = compileField(file, '/appliesTo', def.appliesTo, { declared: [], schemas: {}, entityOnly: true }, options, problems);
  return appliesTo ? { definition: def, appliesTo } : undefined;
}
