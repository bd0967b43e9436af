/**
 * Does a `var` path exist? Resolves `github.repository.defaultBranch.protected` to the
 * declared fact `github.repository` (longest prefix) and walks the rest of the path through
 * that fact's JSON Schema. `entity.*` is checked loosely against the Backstage entity shape.
 */
import { closest, type VarRef } from './jsonlogic.js';

export type JsonSchema = Record<string, unknown> | boolean;

/** The schemas a path may land on; `'any'` when the schema leaves the shape open. */
type Resolved = { ok: true; schemas: JsonSchema[] | 'any'; root?: JsonSchema } | { ok: false; message: string };

const ENTITY_TOP = ['kind', 'apiVersion', 'metadata', 'spec', 'relations'];
// Keywords that do not constrain shape: a schema with only these accepts any path.
const ANNOTATION_KEYWORDS = new Set(['$schema', '$id', '$comment', 'title', 'description', 'examples', 'default', 'deprecated', 'readOnly', 'writeOnly', '$defs', 'definitions']);

export interface PathContext {
  /** Facts the check declares in `facts`. */
  declared: readonly string[];
  /** Every fact schema any collector declares. */
  schemas: Readonly<Record<string, JsonSchema>>;
  /** Set for a track's appliesTo, which may read the entity only. */
  entityOnly?: boolean;
}

/** The declared fact a root path reads, or `'entity'`, or null. */
export function factOfPath(path: string, declared: readonly string[]): string | null {
  const segs = path.split('.');
  if (segs[0] === 'entity') return 'entity';
  for (let k = segs.length; k >= 1; k--) {
    const prefix = segs.slice(0, k).join('.');
    if (declared.includes(prefix)) return prefix;
  }
  return null;
}

/** Null when the path exists; otherwise a message such as `unknown fact path "…" (did you mean "archived"?)`. */
export function checkVarRef(ref: VarRef, ctx: PathContext): string | null {
  const r = resolveRef(ref, ctx);
  return r.ok ? null : r.message;
}

function resolveRef(ref: VarRef, ctx: PathContext): Resolved {
  if (ref.scope.kind === 'opaque') return { ok: true, schemas: 'any' };
  if (ref.scope.kind === 'root') return resolveRoot(ref.path, ctx);
  const source = resolveRef(ref.scope.source, ctx);
  if (!source.ok) return { ok: true, schemas: 'any' }; // already reported at the source
  if (source.schemas === 'any') return { ok: true, schemas: 'any' };
  const items: JsonSchema[] = [];
  for (const s of expand(source.schemas, source.root)) {
    if (typeof s !== 'object') return { ok: true, schemas: 'any' };
    if (s.items !== undefined && typeof s.items !== 'boolean') items.push(s.items as JsonSchema);
    else if (Array.isArray(s.prefixItems)) items.push(...(s.prefixItems as JsonSchema[]));
    else if (isOpen(s)) return { ok: true, schemas: 'any' };
  }
  if (items.length === 0) return { ok: true, schemas: 'any' };
  return walkSchema(items, ref.path.split('.'), `item of "${ref.scope.source.path}"`, ref.path, source.root);
}

function resolveRoot(path: string, ctx: PathContext): Resolved {
  const segs = path.split('.');
  if (segs[0] === 'entity') {
    if (segs.length === 1 || ENTITY_TOP.includes(segs[1])) return { ok: true, schemas: 'any' };
    const near = closest(segs[1], ENTITY_TOP);
    return {
      ok: false,
      message: `unknown entity path "${path}"${near ? ` (did you mean "entity.${near}"?)` : ''}: use entity.kind, entity.metadata.* or entity.spec.*`,
    };
  }
  if (ctx.entityOnly) return { ok: false, message: `a track's appliesTo may read entity.* only, not "${path}"` };
  const fact = factOfPath(path, ctx.declared);
  if (fact === null) {
    if (ctx.declared.some((f) => f.startsWith(`${path}.`))) return { ok: true, schemas: 'any' };
    const known = Object.keys(ctx.schemas);
    for (let k = segs.length; k >= 1; k--) {
      const prefix = segs.slice(0, k).join('.');
      if (known.includes(prefix)) return { ok: false, message: `path "${path}" reads fact "${prefix}", which is not listed in "facts"` };
    }
    const twoSegs = segs.slice(0, 2).join('.');
    const near = closest(twoSegs, ctx.declared.length > 0 ? ctx.declared : known);
    return {
      ok: false,
      message: `unknown fact path "${path}": no fact in "facts" contains it${near ? ` (did you mean "${near}"?)` : ''}`,
    };
  }
  const schema = ctx.schemas[fact];
  if (schema === undefined) return { ok: true, schemas: 'any' }; // the unknown fact is reported on /facts
  const rest = segs.slice(fact.split('.').length);
  return walkSchema([schema], rest, `fact "${fact}"`, path, schema);
}

function walkSchema(start: JsonSchema[], segs: string[], where: string, fullPath: string, root?: JsonSchema): Resolved {
  let current = start;
  for (const seg of segs) {
    const next: JsonSchema[] = [];
    const names: string[] = [];
    for (const s of expand(current, root)) {
      if (s === true || (typeof s === 'object' && isOpen(s))) return { ok: true, schemas: 'any' };
      if (s === false) continue;
      const props = s.properties as Record<string, JsonSchema> | undefined;
      if (props) {
        names.push(...Object.keys(props));
        if (Object.prototype.hasOwnProperty.call(props, seg)) next.push(props[seg]);
      }
      const patterns = s.patternProperties as Record<string, JsonSchema> | undefined;
      if (patterns) for (const [p, sub] of Object.entries(patterns)) if (safeTest(p, seg)) next.push(sub);
      if (s.additionalProperties === true) return { ok: true, schemas: 'any' };
      if (typeof s.additionalProperties === 'object' && s.additionalProperties !== null && !props?.[seg])
        next.push(s.additionalProperties as JsonSchema);
      const types = ([] as unknown[]).concat(s.type ?? []);
      if (/^\d+$/.test(seg)) {
        if (Array.isArray(s.prefixItems) && s.prefixItems[Number(seg)] !== undefined) next.push(s.prefixItems[Number(seg)] as JsonSchema);
        if (s.items !== undefined && s.items !== false) next.push(s.items as JsonSchema);
      }
      if (seg === 'length' && (types.includes('array') || types.includes('string') || s.items !== undefined))
        next.push({ type: 'integer' });
    }
    if (next.length === 0) {
      const near = closest(seg, names);
      return {
        ok: false,
        message: `unknown fact path "${fullPath}": ${where} has no "${seg}"${near ? ` (did you mean "${near}"?)` : ''}`,
      };
    }
    current = next;
  }
  return { ok: true, schemas: current, root };
}

/** A schema that says nothing about shape (`{}` or only annotations) admits any path. */
function isOpen(s: Record<string, unknown>): boolean {
  return Object.keys(s).every((k) => ANNOTATION_KEYWORDS.has(k));
}

/** Follow local `$ref`s and fan out `allOf`/`anyOf`/`oneOf` into candidate schemas. */
function expand(schemas: JsonSchema[], root?: JsonSchema, depth = 0): JsonSchema[] {
  const out: JsonSchema[] = [];
  for (const s of schemas) {
    const base = root ?? s;
    if (typeof s !== 'object' || depth > 20) {
      out.push(s);
      continue;
    }
    if (typeof s.$ref === 'string') {
      const target = resolvePointer(base, s.$ref);
      out.push(...expand(target === undefined ? [true] : [target], base, depth + 1));
    }
    const combos = ['allOf', 'anyOf', 'oneOf'].flatMap((k) => (Array.isArray(s[k]) ? (s[k] as JsonSchema[]) : []));
    if (combos.length > 0) out.push(...expand(combos, base, depth + 1));
    const rest = Object.fromEntries(Object.entries(s).filter(([k]) => !['$ref', 'allOf', 'anyOf', 'oneOf'].includes(k)));
    if (!(combos.length > 0 || s.$ref !== undefined) || !isOpen(rest)) out.push(rest);
  }
  return out;
}

function resolvePointer(root: JsonSchema, ref: string): JsonSchema | undefined {
  if (!ref.startsWith('#')) return undefined;
  let node: unknown = root;
  for (const raw of ref.slice(1).split('/').slice(1)) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node as JsonSchema | undefined;
}

function safeTest(pattern: string, value: string): boolean {
  try {
    return new RegExp(pattern, 'u').test(value);
  } catch {
    return false;
  }
}
