/**
 * A JsonLogic compiler: turns a rule into a tree of closures once, then evaluates it many
 * times without re-reading the JSON. Semantics follow `json-logic-js` 2.x (the official
 * test suite passes unchanged), plus three operators standards need: `age_days`, `semver`
 * and `regex_match` (see docs/jsonlogic.md). No `eval` or `new Function`.
 */
import { RE2JS } from 're2js';
import semver from 'semver';

/** What every compiled closure receives besides the data: the clock, injected for purity. */
export interface EvalContext {
  /** "Now" in epoch milliseconds, used by `age_days`. */
  nowMs: number;
}

type EvalFn = (data: any, ctx: EvalContext) => unknown;

/** Where a `var` reads from: the rule's data, the items of an array, or something the compiler cannot know. */
export type VarScope = { kind: 'root' } | { kind: 'item'; source: VarRef } | { kind: 'opaque' };

/** A literal `var` (or `missing` key) found in a rule, with its JSON pointer inside the rule. */
export interface VarRef {
  path: string;
  pointer: string;
  scope: VarScope;
}

/** A reason a rule cannot be compiled; `pointer` is relative to the rule's root. */
export interface CompileProblem {
  pointer: string;
  message: string;
}

/**
 * A compiled rule.
 *
 * @example
 * ```ts
 * const { compiled } = compileLogic({ '==': [{ var: 'a.b' }, true] });
 * compiled!.evaluate({ a: { b: true } }); // true
 * compiled!.rootPaths;                    // ['a.b']
 * ```
 */
export interface CompiledLogic {
  /** Evaluate against `data`; throws when an operator cannot work on its input. */
  evaluate(data: unknown, ctx?: EvalContext): unknown;
  /** Every literal `var` path of the rule, with scope and pointer (for validation). */
  vars: VarRef[];
  /** Distinct literal paths read from the root data, in rule order (to explain a result). */
  rootPaths: string[];
}

export interface CompileOptions {
  /** Deepest allowed nesting of operators and arrays (default 64). */
  maxDepth?: number;
  /** Most nodes a rule may have (default 5000). */
  maxNodes?: number;
}

/** Every operator the compiler knows, standard first. */
export const OPERATORS: readonly string[] = [
  '==', '===', '!=', '!==', '>', '>=', '<', '<=', '!!', '!', '%', 'log', 'in', 'cat', 'substr',
  '+', '*', '-', '/', 'min', 'max', 'merge', 'var', 'missing', 'missing_some', 'if', '?:', 'and',
  'or', 'filter', 'map', 'reduce', 'all', 'none', 'some',
  'age_days', 'semver', 'regex_match',
];

/** Comparison operators accepted by `semver`. */
export const SEMVER_OPERATORS: readonly string[] = ['>', '>=', '<', '<=', '==', '!=', 'satisfies'];

const DAY_MS = 86_400_000;
const UNSAFE_SEGMENTS = new Set(['__proto__', 'constructor', 'prototype']);
const DEFAULT_CONTEXT: EvalContext = { nowMs: 0 };

/** JsonLogic truthiness: like JavaScript, except an empty array is falsy. */
export function truthy(value: unknown): boolean {
  if (Array.isArray(value) && value.length === 0) return false;
  return !!value;
}

/** True when `value` is an operation: a plain object with exactly one key. */
export function isLogic(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  let n = 0;
  for (const k in value) if (Object.prototype.hasOwnProperty.call(value, k) && ++n > 1) return false;
  return n === 1;
}

/** Escape one JSON pointer segment (RFC 6901). */
export function escapePointer(segment: string | number): string {
  return String(segment).replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Read a dotted path the way `var` does; missing → `notFound`. */
export function readPath(data: unknown, path: string | number | null | undefined, notFound: unknown = null): unknown {
  if (path === undefined || path === null || path === '') return data;
  return walk(data, String(path).split('.'), notFound);
}

/**
 * `readPath` for one fixed path, split once: what evaluation uses for paths it reads on every
 * entity. Missing values (and unsafe segments such as `__proto__`) read as null.
 */
export function pathReader(path: string): (data: unknown) => unknown {
  const segs = path === '' ? [] : path.split('.');
  if (segs.some((s) => UNSAFE_SEGMENTS.has(s))) return () => null;
  return segmentReader(segs, null);
}

function walk(data: any, segs: readonly string[], nf: unknown): unknown {
  for (let i = 0; i < segs.length; i++) {
    if (data === null || data === undefined) return nf;
    const s = segs[i];
    if (UNSAFE_SEGMENTS.has(s)) return nf;
    data = data[s];
    if (data === undefined) return nf;
  }
  return data;
}

interface Node {
  fn: EvalFn;
  isConst: boolean;
  value?: unknown;
  /** Set when this node is a literal `var`: lets `map`/`some`… know what their items are. */
  varRef?: VarRef;
}

interface State {
  problems: CompileProblem[];
  vars: VarRef[];
  nodes: number;
  maxDepth: number;
  maxNodes: number;
  aborted: boolean;
}

const constNode = (value: unknown): Node => ({ fn: () => value, isConst: true, value });

/**
 * Compile a JsonLogic rule to closures. Never throws: problems (unknown operator, bad
 * literal regex or semver operand, nesting too deep, too many nodes) come back as a list,
 * and `compiled` is null when there is any.
 *
 * @example
 * ```ts
 * compileLogic({ regex_match: ['(', { var: 'x' }] }).problems;
 * // [{ pointer: '/regex_match/0', message: 'invalid regular expression "(": …' }]
 * ```
 */
export function compileLogic(
  rule: unknown,
  options: CompileOptions = {},
): { compiled: CompiledLogic | null; problems: CompileProblem[] } {
  const st: State = {
    problems: [],
    vars: [],
    nodes: 0,
    maxDepth: options.maxDepth ?? 64,
    maxNodes: options.maxNodes ?? 5000,
    aborted: false,
  };
  const root = compileNode(rule, '', 0, { kind: 'root' }, st);
  if (st.problems.length > 0) return { compiled: null, problems: st.problems };
  const rootPaths: string[] = [];
  for (const v of st.vars) if (v.scope.kind === 'root' && !rootPaths.includes(v.path)) rootPaths.push(v.path);
  const fn = root.fn;
  return {
    compiled: { evaluate: (data, ctx = DEFAULT_CONTEXT) => fn(data, ctx), vars: st.vars, rootPaths },
    problems: [],
  };
}

function compileNode(rule: unknown, pointer: string, depth: number, scope: VarScope, st: State): Node {
  if (st.aborted) return constNode(null);
  if (depth > st.maxDepth) {
    st.problems.push({ pointer, message: `rule is nested deeper than ${st.maxDepth} levels` });
    st.aborted = true;
    return constNode(null);
  }
  if (++st.nodes > st.maxNodes) {
    st.problems.push({ pointer, message: `rule has more than ${st.maxNodes} nodes` });
    st.aborted = true;
    return constNode(null);
  }
  if (Array.isArray(rule)) {
    const items = rule.map((r, i) => compileNode(r, `${pointer}/${i}`, depth + 1, scope, st));
    if (items.every((n) => n.isConst)) return constNode(items.map((n) => n.value));
    const fns = items.map((n) => n.fn);
    return {
      fn: (d, c) => {
        const out = new Array(fns.length);
        for (let i = 0; i < fns.length; i++) out[i] = fns[i](d, c);
        return out;
      },
      isConst: false,
    };
  }
  if (!isLogic(rule)) return constNode(rule);

  const op = Object.keys(rule)[0];
  const raw = rule[op];
  const rawArgs: unknown[] = Array.isArray(raw) ? raw : [raw];
  const opPointer = `${pointer}/${escapePointer(op)}`;
  const argPointer = (i: number) => (Array.isArray(raw) ? `${opPointer}/${i}` : opPointer);
  const sub = (i: number, s: VarScope = scope): Node =>
    compileNode(rawArgs[i], argPointer(i), depth + 1, s, st);
  const all = (): Node[] => rawArgs.map((_, i) => sub(i));

  const special = SPECIAL[op];
  if (special) return special({ rawArgs, sub, all, argPointer, opPointer, scope, st });

  const impl = Object.prototype.hasOwnProperty.call(OPS, op) ? OPS[op] : undefined;
  if (!impl) {
    st.problems.push({ pointer: opPointer, message: unknownOperatorMessage(op) });
    return constNode(null);
  }
  const args = all();
  return applyOp(impl, args, op !== 'log', op);
}

/** "unknown JsonLogic operator "x" (did you mean "y"?)" */
export function unknownOperatorMessage(op: string): string {
  const near = closest(op, OPERATORS);
  return `unknown JsonLogic operator "${op}"${near ? ` (did you mean "${near}"?)` : ''}`;
}

type Impl = (...args: any[]) => unknown;

/** Build the closure for a depth-first operator, folding constants when every argument is one. */
function applyOp(impl: Impl, args: Node[], foldable: boolean, op?: string): Node {
  if (foldable && args.every((a) => a.isConst)) {
    try {
      return constNode(impl(...args.map((a) => a.value)));
    } catch {
      // Leave it to runtime: the throw becomes an `error` outcome, as with json-logic-js.
    }
  }
  const f = args.map((a) => a.fn);
  switch (f.length) {
    case 0:
      return { fn: () => impl(), isConst: false };
    case 1: {
      const [a] = f;
      return { fn: (d, c) => impl(a(d, c)), isConst: false };
    }
    case 2: {
      const [a, b] = f;
      if (args[1].isConst) {
        const bv = args[1].value;
        const literal = op === undefined ? undefined : WITH_LITERAL[op];
        if (literal) return { fn: literal(a, bv), isConst: false };
        return { fn: (d, c) => impl(a(d, c), bv), isConst: false };
      }
      return { fn: (d, c) => impl(a(d, c), b(d, c)), isConst: false };
    }
    case 3: {
      const [a, b, c3] = f;
      return { fn: (d, c) => impl(a(d, c), b(d, c), c3(d, c)), isConst: false };
    }
    default:
      return {
        fn: (d, c) => {
          const vals = new Array(f.length);
          for (let i = 0; i < f.length; i++) vals[i] = f[i](d, c);
          return impl(...vals);
        },
        isConst: false,
      };
  }
}

/* eslint-disable eqeqeq -- JsonLogic's == and != are JavaScript's loose equality by definition. */
/**
 * Comparisons with a literal on the right (`{">=": [{"var": "x"}, 80]}`, most checks): one
 * function literal per operator, so each closure compares inline instead of calling the shared
 * operator through one call site that sees every operator. Same semantics as `OPS`.
 */
const WITH_LITERAL: Record<string, (a: EvalFn, b: any) => EvalFn> = {
  '==': (a, b) => (d, c) => a(d, c) == b,
  '===': (a, b) => (d, c) => a(d, c) === b,
  '!=': (a, b) => (d, c) => a(d, c) != b,
  '!==': (a, b) => (d, c) => a(d, c) !== b,
  '>': (a, b) => (d, c) => (a(d, c) as any) > b,
  '>=': (a, b) => (d, c) => (a(d, c) as any) >= b,
  '<': (a, b) => (d, c) => (a(d, c) as any) < b,
  '<=': (a, b) => (d, c) => (a(d, c) as any) <= b,
};

const OPS: Record<string, Impl> = {
  '==': (a, b) => a == b,
  '===': (a, b) => a === b,
  '!=': (a, b) => a != b,
  '!==': (a, b) => a !== b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
  '<': (a, b, c) => (c === undefined ? a < b : a < b && b < c),
  '<=': (a, b, c) => (c === undefined ? a <= b : a <= b && b <= c),
  '!!': (a) => truthy(a),
  '!': (a) => !truthy(a),
  '%': (a, b) => a % b,
  // Pure engine: `log` is the identity and prints nothing.
  log: (a) => a,
  in: (a, b) => {
    if (!b || typeof b.indexOf !== 'function') return false;
    return b.indexOf(a) !== -1;
  },
  cat: (...args) => args.join(''),
  substr: (source, start, end) => {
    if (end < 0) {
      const temp = String(source).substr(start);
      return temp.substr(0, temp.length + end);
    }
    return String(source).substr(start, end);
  },
  '+': (...args) => args.reduce((a: any, b: any) => parseFloat(a) + parseFloat(b), 0),
  // json-logic-js reduces without an initial value: one argument comes back unchanged, none throws.
  '*': (...args) => args.reduce((a: any, b: any) => parseFloat(a) * parseFloat(b)),
  '-': (a, b) => (b === undefined ? -a : a - b),
  '/': (a, b) => a / b,
  min: (...args) => Math.min(...args),
  max: (...args) => Math.max(...args),
  merge: (...args) => args.reduce((a: unknown[], b: unknown) => a.concat(b), []),
};
/* eslint-enable eqeqeq */

interface SpecialCtx {
  rawArgs: unknown[];
  sub: (i: number, scope?: VarScope) => Node;
  all: () => Node[];
  argPointer: (i: number) => string;
  opPointer: string;
  scope: VarScope;
  st: State;
}

const SPECIAL: Record<string, (x: SpecialCtx) => Node> = {
  var: compileVar,
  missing: compileMissing,
  missing_some: compileMissingSome,
  if: compileIf,
  '?:': compileIf,
  and: (x) => compileAndOr(x, true),
  or: (x) => compileAndOr(x, false),
  filter: (x) => compileScoped(x, 'filter'),
  map: (x) => compileScoped(x, 'map'),
  all: (x) => compileScoped(x, 'all'),
  none: (x) => compileScoped(x, 'none'),
  some: (x) => compileScoped(x, 'some'),
  reduce: compileReduce,
  age_days: compileAgeDays,
  semver: compileSemver,
  regex_match: compileRegexMatch,
};

function compileVar(x: SpecialCtx): Node {
  const args = x.all();
  const p = args[0];
  const dflt = args[1];
  if (p && !p.isConst) {
    const pf = p.fn;
    const df = dflt?.fn;
    return {
      fn: (d, c) => {
        const path = pf(d, c);
        const nfv = df ? df(d, c) : undefined;
        return readPath(d, path as string, nfv === undefined ? null : nfv);
      },
      isConst: false,
    };
  }
  const path = p?.value;
  if (path === undefined || path === null || path === '') return { fn: (d) => d, isConst: false };
  const segs = String(path).split('.');
  const ref: VarRef = { path: String(path), pointer: x.argPointer(0), scope: x.scope };
  x.st.vars.push(ref);
  if (dflt && !dflt.isConst) {
    const df = dflt.fn;
    return {
      fn: (d, c) => {
        const v = df(d, c);
        return walk(d, segs, v === undefined ? null : v);
      },
      isConst: false,
      varRef: ref,
    };
  }
  const nf = dflt === undefined || dflt.value === undefined ? null : dflt.value;
  if (segs.some((s) => UNSAFE_SEGMENTS.has(s))) return { fn: () => nf, isConst: false, varRef: ref };
  return { fn: segmentReader(segs, nf), isConst: false, varRef: ref };
}

/**
 * Read a path given as safe segments, `nf` when it is missing. Unrolled for paths of up to four
 * segments (one closure shape per length): this is the hot loop of every rule.
 */
function segmentReader(segs: readonly string[], nf: unknown): (data: any) => unknown {
  const [s0, s1, s2, s3] = segs;
  switch (segs.length) {
    case 1:
      return (d) => {
        if (d === null || d === undefined) return nf;
        const v = d[s0];
        return v === undefined ? nf : v;
      };
    case 2:
      return (d) => {
        if (d === null || d === undefined) return nf;
        const v0 = d[s0];
        if (v0 === null || v0 === undefined) return nf;
        const v = v0[s1];
        return v === undefined ? nf : v;
      };
    case 3:
      return (d) => {
        if (d === null || d === undefined) return nf;
        const v0 = d[s0];
        if (v0 === null || v0 === undefined) return nf;
        const v1 = v0[s1];
        if (v1 === null || v1 === undefined) return nf;
        const v = v1[s2];
        return v === undefined ? nf : v;
      };
    case 4:
      return (d) => {
        if (d === null || d === undefined) return nf;
        const v0 = d[s0];
        if (v0 === null || v0 === undefined) return nf;
        const v1 = v0[s1];
        if (v1 === null || v1 === undefined) return nf;
        const v2 = v1[s2];
        if (v2 === null || v2 === undefined) return nf;
        const v = v2[s3];
        return v === undefined ? nf : v;
      };
    default:
      return (d) => walk(d, segs, nf);
  }
}

function missingKeys(d: unknown, keys: ArrayLike<unknown>): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i < keys.length; i++) {
    const v = readPath(d, keys[i] as string, null);
    if (v === null || v === '') out.push(keys[i]);
  }
  return out;
}

function recordKeys(x: SpecialCtx, raw: unknown, pointer: string): void {
  if (typeof raw === 'string' && raw !== '') x.st.vars.push({ path: raw, pointer, scope: x.scope });
  else if (Array.isArray(raw))
    raw.forEach((k, i) => {
      if (typeof k === 'string' && k !== '') x.st.vars.push({ path: k, pointer: `${pointer}/${i}`, scope: x.scope });
    });
}

function compileMissing(x: SpecialCtx): Node {
  x.rawArgs.forEach((a, i) => recordKeys(x, a, x.argPointer(i)));
  const f = x.all().map((n) => n.fn);
  return {
    fn: (d, c) => {
      const vals = f.map((g) => g(d, c));
      return missingKeys(d, Array.isArray(vals[0]) ? vals[0] : vals);
    },
    isConst: false,
  };
}

function compileMissingSome(x: SpecialCtx): Node {
  recordKeys(x, x.rawArgs[1], x.argPointer(1));
  const [need, opts] = x.all().map((n) => n.fn);
  return {
    fn: (d, c) => {
      const n = need ? need(d, c) : undefined;
      const options = (opts ? opts(d, c) : undefined) as unknown[];
      const keys = Array.isArray(options) ? options : [options];
      const missing = missingKeys(d, keys);
      return options.length - missing.length >= (n as number) ? [] : missing;
    },
    isConst: false,
  };
}

function compileIf(x: SpecialCtx): Node {
  const f = x.all().map((n) => n.fn);
  if (f.length === 3) {
    const [c0, t, e] = f;
    return { fn: (d, c) => (truthy(c0(d, c)) ? t(d, c) : e(d, c)), isConst: false };
  }
  return {
    fn: (d, c) => {
      let i = 0;
      for (; i < f.length - 1; i += 2) if (truthy(f[i](d, c))) return f[i + 1](d, c);
      return f.length === i + 1 ? f[i](d, c) : null;
    },
    isConst: false,
  };
}

function compileAndOr(x: SpecialCtx, isAnd: boolean): Node {
  const f = x.all().map((n) => n.fn);
  if (f.length === 2) {
    const [a, b] = f;
    return isAnd
      ? { fn: (d, c) => { const v = a(d, c); return truthy(v) ? b(d, c) : v; }, isConst: false }
      : { fn: (d, c) => { const v = a(d, c); return truthy(v) ? v : b(d, c); }, isConst: false };
  }
  return {
    fn: (d, c) => {
      let cur: unknown;
      for (let i = 0; i < f.length; i++) {
        cur = f[i](d, c);
        if (truthy(cur) !== isAnd) return cur;
      }
      return cur;
    },
    isConst: false,
  };
}

function itemScope(source: Node): VarScope {
  return source.varRef ? { kind: 'item', source: source.varRef } : { kind: 'opaque' };
}

function compileScoped(x: SpecialCtx, kind: 'filter' | 'map' | 'all' | 'none' | 'some'): Node {
  const source = x.sub(0);
  const logic = x.rawArgs.length > 1 ? x.sub(1, itemScope(source)) : constNode(undefined);
  const sf = source.fn;
  const lf = logic.fn;
  switch (kind) {
    case 'filter':
      return {
        fn: (d, c) => {
          const arr = sf(d, c);
          return Array.isArray(arr) ? arr.filter((item) => truthy(lf(item, c))) : [];
        },
        isConst: false,
      };
    case 'map':
      return {
        fn: (d, c) => {
          const arr = sf(d, c);
          return Array.isArray(arr) ? arr.map((item) => lf(item, c)) : [];
        },
        isConst: false,
      };
    case 'all':
      return {
        fn: (d, c) => {
          const arr = sf(d, c);
          if (!Array.isArray(arr) || arr.length === 0) return false;
          for (const item of arr) if (!truthy(lf(item, c))) return false;
          return true;
        },
        isConst: false,
      };
    case 'none':
      return {
        fn: (d, c) => {
          const arr = sf(d, c);
          if (!Array.isArray(arr) || arr.length === 0) return true;
          for (const item of arr) if (truthy(lf(item, c))) return false;
          return true;
        },
        isConst: false,
      };
    case 'some':
      return {
        fn: (d, c) => {
          const arr = sf(d, c);
          if (!Array.isArray(arr) || arr.length === 0) return false;
          for (const item of arr) if (truthy(lf(item, c))) return true;
          return false;
        },
        isConst: false,
      };
  }
}

function compileReduce(x: SpecialCtx): Node {
  const sf = x.sub(0).fn;
  const lf = x.rawArgs.length > 1 ? x.sub(1, { kind: 'opaque' }).fn : () => undefined;
  const init = x.rawArgs[2] !== undefined ? x.sub(2).fn : () => null;
  return {
    fn: (d, c) => {
      const arr = sf(d, c);
      const initial = init(d, c);
      if (!Array.isArray(arr)) return initial;
      return arr.reduce((accumulator: unknown, current: unknown) => lf({ current, accumulator }, c), initial);
    },
    isConst: false,
  };
}

function compileAgeDays(x: SpecialCtx): Node {
  const arg = x.sub(0);
  if (arg.isConst && arg.value !== null && arg.value !== undefined && Number.isNaN(toTime(arg.value))) {
    x.st.problems.push({ pointer: x.argPointer(0), message: `age_days: ${JSON.stringify(arg.value)} is not an ISO date` });
  }
  const f = arg.fn;
  return {
    fn: (d, c) => {
      const v = f(d, c);
      if (v === null || v === undefined) return null;
      const t = toTime(v);
      if (Number.isNaN(t)) throw new Error(`age_days: ${JSON.stringify(v)} is not an ISO date`);
      return (c.nowMs - t) / DAY_MS;
    },
    isConst: false,
  };
}

function toTime(v: unknown): number {
  if (typeof v === 'string') return Date.parse(v);
  if (typeof v === 'number') return v;
  return NaN;
}

function parseVersion(v: unknown): semver.SemVer {
  const s = typeof v === 'number' ? String(v) : v;
  if (typeof s !== 'string') throw new Error(`semver: ${JSON.stringify(v)} is not a version`);
  const parsed = semver.parse(s, { loose: true }) ?? semver.coerce(s);
  if (!parsed) throw new Error(`semver: ${JSON.stringify(v)} is not a version`);
  return parsed;
}

function semverCompare(op: unknown, a: unknown, b: unknown): boolean | null {
  if (a === null || a === undefined || b === null || b === undefined) return null;
  if (op === 'satisfies') {
    if (typeof b !== 'string' || semver.validRange(b, { loose: true }) === null)
      throw new Error(`semver: ${JSON.stringify(b)} is not a version range`);
    return semver.satisfies(parseVersion(a), b, { loose: true, includePrerelease: true });
  }
  const cmp = semver.compare(parseVersion(a), parseVersion(b));
  switch (op) {
    case '>': return cmp > 0;
    case '>=': return cmp >= 0;
    case '<': return cmp < 0;
    case '<=': return cmp <= 0;
    case '==': return cmp === 0;
    case '!=': return cmp !== 0;
    default: throw new Error(`semver: unknown comparison ${JSON.stringify(op)} (use one of ${SEMVER_OPERATORS.join(' ')})`);
  }
}

function compileSemver(x: SpecialCtx): Node {
  const args = x.all();
  if (args.length !== 3) {
    x.st.problems.push({ pointer: x.opPointer, message: 'semver takes three arguments: [comparison, version, version or range]' });
    return constNode(null);
  }
  const [op, a, b] = args;
  if (op.isConst && !SEMVER_OPERATORS.includes(op.value as string)) {
    x.st.problems.push({ pointer: x.argPointer(0), message: `semver: unknown comparison ${JSON.stringify(op.value)} (use one of ${SEMVER_OPERATORS.join(' ')})` });
  }
  // Literal operands are checked now so a typo fails validation rather than every evaluation.
  if (a.isConst && a.value !== null) {
    try { parseVersion(a.value); } catch (e) { x.st.problems.push({ pointer: x.argPointer(1), message: (e as Error).message }); }
  }
  if (b.isConst && b.value !== null) {
    try {
      if (op.value === 'satisfies') semverCompare('satisfies', '0.0.0', b.value);
      else parseVersion(b.value);
    } catch (e) { x.st.problems.push({ pointer: x.argPointer(2), message: (e as Error).message }); }
  }
  return applyOp(semverCompare, args, true);
}

const REGEX_FLAGS: Record<string, number> = { i: RE2JS.CASE_INSENSITIVE, m: RE2JS.MULTILINE, s: RE2JS.DOTALL };
const regexCache = new Map<string, RE2JS>();

function compileRegex(pattern: unknown, flags: unknown): RE2JS {
  if (typeof pattern !== 'string') throw new Error(`regex_match: pattern ${JSON.stringify(pattern)} is not a string`);
  let bits = 0;
  if (flags !== undefined && flags !== null && flags !== '') {
    if (typeof flags !== 'string') throw new Error(`regex_match: flags ${JSON.stringify(flags)} are not a string`);
    for (const ch of flags) {
      const bit = REGEX_FLAGS[ch];
      if (bit === undefined) throw new Error(`regex_match: unknown flag "${ch}" (use i, m or s)`);
      bits |= bit;
    }
  }
  const key = `${bits}/${pattern}`;
  let re = regexCache.get(key);
  if (!re) {
    try {
      re = RE2JS.compile(pattern, bits);
    } catch (e) {
      throw new Error(`invalid regular expression ${JSON.stringify(pattern)}: ${(e as Error).message}`);
    }
    // A small bounded cache: dynamic patterns must not grow memory without limit.
    if (regexCache.size >= 256) regexCache.clear();
    regexCache.set(key, re);
  }
  return re;
}

function regexTest(re: RE2JS, subject: unknown): boolean {
  if (typeof subject === 'string') return re.test(subject);
  if (typeof subject === 'number' || typeof subject === 'boolean') return re.test(String(subject));
  return false;
}

function compileRegexMatch(x: SpecialCtx): Node {
  const args = x.all();
  if (args.length < 2 || args.length > 3) {
    x.st.problems.push({ pointer: x.opPointer, message: 'regex_match takes [pattern, subject] or [pattern, subject, flags]' });
    return constNode(null);
  }
  const [p, s, fl] = args;
  if (p.isConst && (!fl || fl.isConst)) {
    let re: RE2JS;
    try {
      re = compileRegex(p.value, fl?.value);
    } catch (e) {
      x.st.problems.push({ pointer: x.argPointer(0), message: (e as Error).message });
      return constNode(null);
    }
    const sf = s.fn;
    return { fn: (d, c) => regexTest(re, sf(d, c)), isConst: false };
  }
  const pf = p.fn;
  const sf = s.fn;
  const ff = fl?.fn;
  return {
    fn: (d, c) => regexTest(compileRegex(pf(d, c), ff ? ff(d, c) : undefined), sf(d, c)),
    isConst: false,
  };
}

/** The candidate closest to `word` by edit distance, if close enough to be a likely typo. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  const list = [...candidates];
  // A truncated name ("github.repo" for "github.repository") is a typo too, however long the rest.
  const prefixed = word.length >= 3 ? list.find((c) => c.toLowerCase().startsWith(word.toLowerCase())) : undefined;
  if (prefixed !== undefined && !list.includes(word)) return prefixed;
  for (const c of list) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best !== undefined && bestD <= Math.max(1, Math.floor(word.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}
