/** Shared pieces of the GitHub collector tests (not exported from the collector). */
import type { Entity } from '../../engine/types.js';
import type { CollectorContext } from '../collector.js';

export function entityFor(slug: string, name = slug.split('/')[1]): { ref: string; entity: Entity } {
  return {
    ref: `component:default/${name}`,
    entity: {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name, annotations: { 'github.com/project-slug': slug } },
      spec: { type: 'service', owner: 'group:default/team-a', lifecycle: 'production' },
    },
  };
}

/** A persistent cache stand-in, like the http_cache table. */
export function mapCache(): NonNullable<CollectorContext['cache']> & { map: Map<string, unknown> } {
  const map = new Map<string, unknown>();
  return { map, get: async (k) => structuredClone(map.get(k)), set: async (k, v) => void map.set(k, structuredClone(v)) };
}

export function context(
  entities: CollectorContext['entities'],
  github: Record<string, unknown>,
  cache = mapCache(),
): CollectorContext & { logs: { level: string; msg: string; extra?: object }[] } {
  const logs: { level: string; msg: string; extra?: object }[] = [];
  return {
    entities,
    settings: { github },
    signal: new AbortController().signal,
    cache,
    logs,
    log: {
      info: (msg, extra) => logs.push({ level: 'info', msg, extra }),
      warn: (msg, extra) => logs.push({ level: 'warn', msg, extra }),
    },
  };
}
