import { toEntityRef } from '../catalog/index.js';
import { errors } from '../errors.js';

// Backstage: kind is letters/digits; namespace and name are [a-zA-Z0-9] separated by [-_.], ≤ 63 chars.
const KIND = /^[A-Za-z][A-Za-z0-9]{0,62}$/;
const PART = /^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/;

/** The canonical ref from `:kind/:namespace/:name`; YS_ERR_ENTITY_REF_INVALID (400) when malformed. */
export function refFromParams(p: { kind: string; namespace: string; name: string }): string {
  if (!KIND.test(p.kind) || !PART.test(p.namespace) || !PART.test(p.name)) {
    throw new errors.YS_ERR_ENTITY_REF_INVALID(`"${p.kind}:${p.namespace}/${p.name}" (kind, namespace and name are letters, digits and - _ . , at most 63 characters)`);
  }
  return toEntityRef(`${p.kind}:${p.namespace}/${p.name}`);
}

/** Canonical ref of a string such as `component:default/payments-api` (400 when malformed). */
export function parseRef(ref: string): string {
  const canonical = toEntityRef(ref);
  const [kind, rest] = canonical.split(':', 2);
  const [namespace, name] = rest.split('/', 2);
  return refFromParams({ kind, namespace, name });
}

/** `YYYY-MM-DD` of the day `days - 1` days before `now` (so `days` days including today). */
export function sinceDay(now: Date, days: number): string {
  return new Date(now.getTime() - (days - 1) * 86_400_000).toISOString().slice(0, 10);
}

export const iso = (d: Date | string | null | undefined): string | null => (d ? new Date(d).toISOString() : null);
