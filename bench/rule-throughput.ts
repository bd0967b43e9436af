/**
 * Rule evaluation throughput on the synthetic rules and data: our compiled JsonLogic vs
 * `json-logic-js` `apply` (same rules, same data) vs `json-rules-engine` (the rules that translate
 * to its conditions). Pure CPU, no I/O.
 */
import jsonLogic from 'json-logic-js';
import { Engine } from 'json-rules-engine';
import { evaluateEntity } from '../server/src/engine/index.js';
import { buildRuleData } from '../server/src/engine/evaluate.js';
import type { EntityInput } from '../server/src/engine/types.js';
import { toEngineInput } from '../server/src/scoring/engine-input.js';
import { syntheticDefinitions, syntheticEntities, syntheticFacts } from './synthetic-org.js';

export interface RuleThroughput {
  rules: number;
  translatedRules: number;
  entities: number;
  /** Evaluations per second, all 200 rules. */
  oursAll: number;
  jsonLogicJsAll: number;
  /** Evaluations per second on the subset json-rules-engine can express. */
  oursSubset: number;
  jsonLogicJsSubset: number;
  jsonRulesEngineSubset: number;
  /** Full `evaluateEntity` (outcome, message, values, levels) in check results per second. */
  evaluateEntityChecks: number;
}

// json-logic-js has no age_days; give it the same meaning so it can run every rule.
jsonLogic.add_operation('age_days', (iso: string) => (NOW_MS - Date.parse(iso)) / 86_400_000);
let NOW_MS = Date.now();

type Cond = Record<string, unknown>;
const OPS: Record<string, string> = { '==': 'equal', '!=': 'notEqual', '<': 'lessThan', '<=': 'lessThanInclusive', '>': 'greaterThan', '>=': 'greaterThanInclusive' };

/** The condition of one `var` path: fact = first segment, JSONPath for the rest. */
function factPath(path: string): { fact: string; path?: string } {
  const [fact, ...rest] = path.split('.');
  return rest.length ? { fact, path: `$.${rest.join('.')}` } : { fact };
}
const isVar = (x: unknown): x is { var: string } => !!x && typeof x === 'object' && typeof (x as { var?: unknown }).var === 'string';
const isConst = (x: unknown) => x === null || typeof x !== 'object' || (Array.isArray(x) && x.every((i) => typeof i !== 'object'));

/** Translate a JsonLogic rule into json-rules-engine conditions; null when it has no equivalent (arithmetic, quantifiers, age_days). */
export function toRulesEngine(rule: unknown): Cond | null {
  if (isVar(rule)) return { ...factPath(rule.var), operator: 'equal', value: true };
  if (!rule || typeof rule !== 'object') return null;
  const [op, raw] = Object.entries(rule as Record<string, unknown>)[0];
  const args = Array.isArray(raw) ? raw : [raw];
  if (op === 'and' || op === 'or') {
    const parts = args.map(toRulesEngine);
    if (parts.some((p) => p === null)) return null;
    return { [op === 'and' ? 'all' : 'any']: parts };
  }
  if (OPS[op] && isVar(args[0]) && isConst(args[1])) return { ...factPath(args[0].var), operator: OPS[op], value: args[1] };
  if (op === 'in' && isConst(args[0]) && isVar(args[1])) return { ...factPath(args[1].var), operator: 'contains', value: args[0] };
  if (op === 'in' && isVar(args[0]) && Array.isArray(args[1])) return { ...factPath(args[0].var), operator: 'in', value: args[1] };
  if (op === '!!' && isVar(args[0])) return { ...factPath(args[0].var), operator: 'notIn', value: [null, false, '', 0] };
  if (op === '!' && isVar(args[0])) return { ...factPath(args[0].var), operator: 'in', value: [null, false, '', 0] };
  return null;
}

function rate(n: number, ms: number) {
  return n / (ms / 1000);
}

/** Repeat `pass` (one sweep over every entity) until `minMs` has passed; evaluations per second. */
function timeSync(pass: () => number, minMs: number): number {
  pass(); // warm up
  let n = 0;
  const start = performance.now();
  do n += pass();
  while (performance.now() - start < minMs);
  return rate(n, performance.now() - start);
}

export async function runRuleThroughputBench(options: { entities?: number; minMs?: number } = {}): Promise<RuleThroughput> {
  const count = options.entities ?? 2000;
  const minMs = options.minMs ?? 2000;
  const { definitions } = syntheticDefinitions();
  const org = syntheticEntities(count, 7);
  const now = new Date();
  NOW_MS = now.getTime();
  const ctx = { nowMs: NOW_MS };
  const inputs: EntityInput[] = org.components.map((c, i) => {
    const facts = syntheticFacts(c.ref, 1000 + i, now).map((f) => ({ ...f, scope: '', collectedAt: now, changedAt: now, lastError: null, lastErrorAt: null, data: f.data }));
    return toEngineInput(c, facts, {}, now);
  });
  const datas = inputs.map(buildRuleData);
  const checks = [...definitions.checks.values()];
  const compiled = checks.map((c) => c.rule);
  const raw = checks.map((c) => c.definition.rule as never);
  const subsetIdx = checks.map((c, i) => (toRulesEngine(c.definition.rule) ? i : -1)).filter((i) => i >= 0);
  const subsetCompiled = subsetIdx.map((i) => compiled[i]);
  const subsetRaw = subsetIdx.map((i) => raw[i]);

  // Sanity: the two JsonLogic evaluators agree on every rule and entity.
  for (const d of datas.slice(0, 200)) {
    for (let i = 0; i < compiled.length; i++) {
      const a = !!compiled[i].evaluate(d, ctx);
      const b = !!jsonLogic.apply(raw[i], d);
      if (a !== b) throw new Error(`engines disagree on ${checks[i].definition.id}`);
    }
  }

  let sink = 0;
  const oursAll = timeSync(() => {
    for (const d of datas) for (const r of compiled) if (r.evaluate(d, ctx)) sink++;
    return datas.length * compiled.length;
  }, minMs);
  const oursSubset = timeSync(() => {
    for (const d of datas) for (const r of subsetCompiled) if (r.evaluate(d, ctx)) sink++;
    return datas.length * subsetCompiled.length;
  }, minMs);
  const jlSample = datas.slice(0, Math.min(datas.length, 500));
  const jsonLogicJsAll = timeSync(() => {
    for (const d of jlSample) for (const r of raw) if (jsonLogic.apply(r, d)) sink++;
    return jlSample.length * raw.length;
  }, minMs);
  const jsonLogicJsSubset = timeSync(() => {
    for (const d of jlSample) for (const r of subsetRaw) if (jsonLogic.apply(r, d)) sink++;
    return jlSample.length * subsetRaw.length;
  }, minMs);
  const evaluateEntityChecks = timeSync(() => {
    for (const input of inputs.slice(0, 500)) sink += evaluateEntity(definitions, input, [], now).results.length;
    return Math.min(inputs.length, 500) * checks.length;
  }, minMs);

  // json-rules-engine: one engine holding the translated rules; each run evaluates all of them for one entity.
  const engine = new Engine([], { allowUndefinedFacts: true });
  for (const i of subsetIdx) {
    const cond = toRulesEngine(checks[i].definition.rule)!;
    const conditions = 'all' in cond || 'any' in cond ? cond : { all: [cond] };
    engine.addRule({ name: checks[i].definition.id, conditions: conditions as never, event: { type: 'pass' } });
  }
  // Check agreement on a few entities, then time.
  for (const d of datas.slice(0, 20)) {
    const { results } = await engine.run(d as never);
    const passed = new Set(results.map((r) => r.name));
    for (const i of subsetIdx) {
      const ours = !!compiled[i].evaluate(d, ctx);
      if (ours !== passed.has(checks[i].definition.id)) throw new Error(`json-rules-engine disagrees on ${checks[i].definition.id}`);
    }
  }
  let n = 0;
  let k = 0;
  const start = performance.now();
  while (performance.now() - start < minMs) {
    await engine.run(datas[k++ % datas.length] as never);
    n += subsetIdx.length;
  }
  const jsonRulesEngineSubset = rate(n, performance.now() - start);
  if (sink < 0) console.log(sink);
  return {
    rules: checks.length, translatedRules: subsetIdx.length, entities: datas.length,
    oursAll, jsonLogicJsAll, oursSubset, jsonLogicJsSubset, jsonRulesEngineSubset, evaluateEntityChecks,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await runRuleThroughputBench());
}
