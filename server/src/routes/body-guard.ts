/**
 * A guard on every parsed JSON body, before schema validation: no nesting deeper than
 * {@link MAX_BODY_DEPTH} and no NUL characters. Deep nesting makes the recursive code behind the
 * routes (JSON.stringify, schema validation, canonical hashing) overflow the stack, which
 * answered a 500; PostgreSQL cannot store U+0000 in text or jsonb, which answered another 500.
 * Both are the client's mistake and get a 400 naming the place.
 */
import type { FastifyInstance } from 'fastify';
import { errors } from '../errors.js';

/** Far above anything a check (JsonLogic allows 64 levels), a fact or a gate request needs. */
export const MAX_BODY_DEPTH = 128;

const escapeKey = (k: string) => k.replace(/~/g, '~0').replace(/\//g, '~1');
const short = (pointer: string) => (pointer.length > 120 ? `${pointer.slice(0, 120)}…` : pointer);

interface Frame {
  value: object;
  pointer: string;
  depth: number;
}

/** The first place where `body` is too deep or holds a NUL, as `{ pointer, message }`; undefined when it is fine. Iterative: never recurses. */
export function findUnsafeJson(body: unknown): { pointer: string; message: string } | undefined {
  if (typeof body === 'string') return body.includes('\u0000') ? { pointer: '', message: 'contains a NUL character (\\u0000)' } : undefined;
  if (body === null || typeof body !== 'object' || Buffer.isBuffer(body)) return undefined;
  const stack: Frame[] = [{ value: body, pointer: '', depth: 1 }];
  while (stack.length > 0) {
    const { value, pointer, depth } = stack.pop()!;
    if (depth > MAX_BODY_DEPTH) return { pointer: short(pointer), message: `is nested deeper than ${MAX_BODY_DEPTH} levels` };
    const entries: [string, unknown][] = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value);
    for (const [key, child] of entries) {
      if (key.includes('\u0000')) return { pointer: short(pointer), message: 'has a key containing a NUL character (\\u0000)' };
      if (typeof child === 'string') {
        if (child.includes('\u0000')) return { pointer: short(`${pointer}/${escapeKey(key)}`), message: 'contains a NUL character (\\u0000)' };
      } else if (child !== null && typeof child === 'object') {
        stack.push({ value: child, pointer: `${pointer}/${escapeKey(key)}`, depth: depth + 1 });
      }
    }
  }
  return undefined;
}

/** Refuse unsafe bodies on every route of `app` with 400 YS_ERR_REQUEST_INVALID. */
export function installBodyGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    const problem = findUnsafeJson(request.body);
    if (problem) throw new errors.YS_ERR_REQUEST_INVALID(`body${problem.pointer} ${problem.message}`);
  });
}
