import type { JsonSchema } from '../collector.js';

const nullableString = { type: ['string', 'null'] };

/**
 * JSON Schema (draft 2020-12) of the `catalog.descriptor` fact: what the entity's
 * `catalog-info.yaml` says about it. Every property is declared so checks reading
 * `catalog.descriptor.<path>` can be validated when they are loaded.
 */
export const catalogDescriptorSchema: JsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://yardstick.dev/schemas/facts/catalog.descriptor.json',
  title: 'catalog.descriptor',
  description: 'What the catalog descriptor of an entity declares. Raw data: presence flags, never verdicts.',
  type: 'object',
  additionalProperties: false,
  required: [
    'kind', 'type', 'lifecycle', 'owner', 'ownerKnown', 'title', 'description', 'tags', 'annotations', 'links',
    'system', 'domain', 'hasDocs', 'hasGithubSlug', 'hasPagerDuty', 'hasPrometheus',
  ],
  properties: {
    kind: { type: 'string', description: 'Entity kind as written, e.g. Component.' },
    type: { ...nullableString, description: 'spec.type (service, website, library…), null when absent.' },
    lifecycle: { ...nullableString, description: 'spec.lifecycle (production, experimental, deprecated…), null when absent.' },
    owner: { ...nullableString, description: 'spec.owner as a canonical ref (default kind group), e.g. group:default/payments-team.' },
    ownerKnown: { type: 'boolean', description: 'The owner resolves to a Group entity present in the catalog.' },
    title: { ...nullableString, description: 'metadata.title' },
    description: { ...nullableString, description: 'metadata.description' },
    tags: { type: 'array', items: { type: 'string' }, description: 'metadata.tags' },
    annotations: { type: 'object', additionalProperties: { type: 'string' }, description: 'metadata.annotations' },
    links: {
      type: 'array',
      description: 'metadata.links',
      items: {
        type: 'object',
        required: ['url'],
        properties: { url: { type: 'string' }, title: { type: 'string' }, icon: { type: 'string' }, type: { type: 'string' } },
      },
    },
    system: { ...nullableString, description: 'spec.system as a canonical ref, e.g. system:default/payments.' },
    domain: { ...nullableString, description: 'Domain ref: spec.domain of a System, else the domain of the entity\'s system.' },
    hasDocs: { type: 'boolean', description: 'Has a backstage.io/techdocs-ref annotation or a documentation link.' },
    hasGithubSlug: { type: 'boolean', description: 'Has a github.com/project-slug annotation.' },
    hasPagerDuty: { type: 'boolean', description: 'Has a pagerduty.com/service-id (or pagerduty.com/integration-key) annotation.' },
    hasPrometheus: { type: 'boolean', description: 'Has a prometheus.io/selector or prometheus.io/job annotation.' },
  },
};

/** The shape described by {@link catalogDescriptorSchema}. */
export interface CatalogDescriptor {
  kind: string;
  type: string | null;
  lifecycle: string | null;
  owner: string | null;
  ownerKnown: boolean;
  title: string | null;
  description: string | null;
  tags: string[];
  annotations: Record<string, string>;
  links: { url: string; title?: string; icon?: string; type?: string }[];
  system: string | null;
  domain: string | null;
  hasDocs: boolean;
  hasGithubSlug: boolean;
  hasPagerDuty: boolean;
  hasPrometheus: boolean;
}
