/** Entity references (`component:default/payments-api`) and the dashboard paths that show them. */

export interface ParsedRef {
  kind: string;
  namespace: string;
  name: string;
}

export function parseRef(ref: string): ParsedRef {
  const colon = ref.indexOf(':');
  const kind = colon >= 0 ? ref.slice(0, colon) : 'component';
  const rest = colon >= 0 ? ref.slice(colon + 1) : ref;
  const slash = rest.indexOf('/');
  return slash >= 0 ? { kind, namespace: rest.slice(0, slash), name: rest.slice(slash + 1) } : { kind, namespace: 'default', name: rest };
}

export function entityPath(ref: string | ParsedRef): string {
  const p = typeof ref === 'string' ? parseRef(ref) : ref;
  return `/entities/${encodeURIComponent(p.kind.toLowerCase())}/${encodeURIComponent(p.namespace)}/${encodeURIComponent(p.name)}`;
}

/** The API path of an entity, e.g. `/entities/component/default/payments-api`. */
export const entityApiPath = entityPath;

/** `group:default/payments` or `payments` → `payments`. */
export function teamName(owner: string | null | undefined): string | null {
  if (!owner) return null;
  return parseRef(owner.includes(':') ? owner : `group:default/${owner}`).name;
}

export function shortName(ref: string): string {
  return parseRef(ref).name;
}
