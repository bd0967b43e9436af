// Shared fixtures for the engine tests: fact schemas, a few checks and a track.
import type { DefinitionFile, Entity, EntityInput, FactSnapshot } from '../types.js';

export const FACT_SCHEMAS = {
  'github.repository': {
    type: 'object',
    properties: {
      archived: { type: 'boolean' },
      defaultBranch: {
        type: 'object',
        properties: { name: { type: 'string' }, protected: { type: 'boolean' } },
        additionalProperties: false,
      },
      topics: { type: 'array', items: { type: 'string' } },
      languages: { type: 'object', additionalProperties: { type: 'number' } },
      files: { type: 'array', items: { $ref: '#/$defs/file' } },
      pushedAt: { type: ['string', 'null'] },
    },
    $defs: { file: { type: 'object', properties: { path: { type: 'string' }, size: { type: 'integer' } } } },
  },
  'ci-report.coverage': { type: 'object', properties: { lines: { type: 'number' } } },
  'catalog.descriptor': { type: 'object', properties: { owner: { type: 'string' } } },
};

export const check = (id: string, over: Record<string, unknown> = {}): DefinitionFile => ({
  file: `checks/${id}.json`,
  text: JSON.stringify(
    {
      $schema: './check.schema.json',
      id,
      name: `Check ${id}`,
      description: `Description of ${id}.`,
      facts: ['github.repository'],
      rule: { '==': [{ var: 'github.repository.archived' }, false] },
      remediation: `Fix ${id}.`,
      ...over,
    },
    null,
    2,
  ),
});

export const track = (id: string, levels: [string, string[]][], over: Record<string, unknown> = {}): DefinitionFile => ({
  file: `tracks/${id}.json`,
  text: JSON.stringify({
    $schema: './track.schema.json',
    id,
    name: `Track ${id}`,
    description: `Track ${id}.`,
    levels: levels.map(([lid, checks]) => ({ id: lid, name: lid[0].toUpperCase() + lid.slice(1), checks })),
    ...over,
  }),
});

export function entity(name: string, spec: Record<string, unknown> = { type: 'service', owner: 'team-a' }): Entity {
  return { apiVersion: 'backstage.io/v1alpha1', kind: 'Component', metadata: { name }, spec };
}

export function fact(id: string, data: unknown, stale = false): FactSnapshot {
  return { id, data, collectedAt: '2025-05-31T00:00:00Z', stale };
}

export function input(name: string, facts: FactSnapshot[], spec?: Record<string, unknown>): EntityInput {
  return { ref: `component:default/${name}`, entity: entity(name, spec), facts: Object.fromEntries(facts.map((f) => [f.id, f])) };
}
