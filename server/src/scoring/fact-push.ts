import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import * as ajvFormats from 'ajv-formats';
import type { JsonSchema } from '../collectors/index.js';
import { errors } from '../errors.js';
import type { FactWriteSummary, Store } from '../store/index.js';

/** One pushed fact, as in a `facts push` file or the facts API body. */
export interface PushedFact {
  entityRef: string;
  id: string;
  data: unknown;
  collectedAt?: string;
  /** '' (default branch), `sha:<sha>` or `pr:<n>`. */
  scope?: string;
}

export interface FactPushProblem {
  /** JSON pointer into the pushed document, e.g. `/facts/3/data/line`. */
  pointer: string;
  message: string;
}

const SCOPE = /^(|sha:[0-9a-f]{7,64}|pr:\d{1,9})$/;

/**
 * Validates pushed facts against their JSON Schemas. Checks everything before writing anything:
 * a push with one bad fact writes none (and every problem is reported, with its pointer).
 */
export class FactValidator {
  readonly #validators = new Map<string, ValidateFunction>();

  constructor(schemas: Record<string, JsonSchema>) {
    const ajv = new Ajv2020({ allErrors: true, strict: false });
    // ajv-formats is CommonJS: its default export arrives wrapped under ESM.
    const addFormats = ((ajvFormats as unknown as { default: { default?: unknown } }).default.default ?? ajvFormats.default) as unknown as (a: Ajv2020) => void;
    addFormats(ajv);
    for (const [id, schema] of Object.entries(schemas)) this.#validators.set(id, ajv.compile(schema));
  }

  validate(facts: unknown, knownRefs: ReadonlySet<string>, base = '/facts'): FactPushProblem[] {
    if (!Array.isArray(facts)) return [{ pointer: base, message: 'must be an array of facts' }];
    const problems: FactPushProblem[] = [];
    facts.forEach((f: unknown, i) => {
      const at = `${base}/${i}`;
      if (!f || typeof f !== 'object' || Array.isArray(f)) return problems.push({ pointer: at, message: 'must be an object { entityRef, id, data }' });
      const fact = f as Record<string, unknown>;
      for (const key of Object.keys(fact)) {
        if (!['entityRef', 'id', 'data', 'collectedAt', 'scope'].includes(key)) problems.push({ pointer: `${at}/${key}`, message: `unknown field "${key}"` });
      }
      if (typeof fact.entityRef !== 'string') problems.push({ pointer: `${at}/entityRef`, message: 'must be an entity ref string' });
      else if (!knownRefs.has(fact.entityRef)) problems.push({ pointer: `${at}/entityRef`, message: `unknown entity "${fact.entityRef}"` });
      if (fact.scope !== undefined && (typeof fact.scope !== 'string' || !SCOPE.test(fact.scope))) {
        problems.push({ pointer: `${at}/scope`, message: 'must be "", "sha:<hex>" or "pr:<number>"' });
      }
      if (fact.collectedAt !== undefined && (typeof fact.collectedAt !== 'string' || Number.isNaN(Date.parse(fact.collectedAt)))) {
        problems.push({ pointer: `${at}/collectedAt`, message: 'must be an ISO 8601 date-time' });
      }
      if (typeof fact.id !== 'string') return problems.push({ pointer: `${at}/id`, message: 'must be a fact id string' });
      const validate = this.#validators.get(fact.id);
      if (!validate) return problems.push({ pointer: `${at}/id`, message: `unknown fact id "${fact.id}" (known: ${[...this.#validators.keys()].join(', ')})` });
      if (!validate(fact.data)) {
        for (const e of validate.errors ?? []) problems.push({ pointer: `${at}/data${e.instancePath}`, message: e.message ?? 'invalid' });
      }
      return undefined;
    });
    return problems;
  }
}

/** Validate then write pushed facts; throws YS_ERR_FACT_INVALID listing every problem and writes nothing on failure. */
export async function pushFacts(
  store: Store,
  validator: FactValidator,
  facts: unknown,
  options: { source: string; where?: string },
): Promise<FactWriteSummary> {
  const refs = Array.isArray(facts)
    ? [...new Set(facts.map((f) => (f && typeof f === 'object' ? (f as PushedFact).entityRef : undefined)).filter((r): r is string => typeof r === 'string'))]
    : [];
  const known = new Set((await store.entities.list({ refs })).map((e) => e.ref));
  const problems = validator.validate(facts, known);
  if (problems.length > 0) {
    const where = options.where ? `${options.where}: ` : '';
    const err = new errors.YS_ERR_FACT_INVALID(problems.map((p) => `${where}${p.pointer}: ${p.message}`).join('; '));
    (err as Error & { problems?: FactPushProblem[] }).problems = problems;
    throw err;
  }
  return store.facts.write((facts as PushedFact[]).map((f) => ({
    entityRef: f.entityRef, id: f.id, data: f.data, scope: f.scope ?? '', source: options.source,
    collectedAt: f.collectedAt ? new Date(f.collectedAt) : undefined,
  })));
}
