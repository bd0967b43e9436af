/**
 * Entity validation, delegated to Backstage's own published validators so that what
 * Yardstick accepts is what a Backstage catalog accepts: the envelope policies first, then
 * the validator of the entity's kind.
 */
import {
  apiEntityV1alpha1Validator,
  componentEntityV1alpha1Validator,
  DefaultNamespaceEntityPolicy,
  domainEntityV1alpha1Validator,
  EntityPolicies,
  FieldFormatEntityPolicy,
  groupEntityV1alpha1Validator,
  locationEntityV1alpha1Validator,
  makeValidator,
  NoForeignRootFieldsEntityPolicy,
  resourceEntityV1alpha1Validator,
  SchemaValidEntityPolicy,
  systemEntityV1alpha1Validator,
  userEntityV1alpha1Validator,
  type Entity as BackstageEntity,
} from '@backstage/catalog-model';
import type { Entity } from '../engine/types.js';

const policy = EntityPolicies.allOf([
  // First, so an unknown root field is named (the envelope schema only says "additional properties").
  // `relations` and `status` are written by a Backstage catalog; entities read over its API carry them.
  new NoForeignRootFieldsEntityPolicy(['apiVersion', 'kind', 'metadata', 'spec', 'relations', 'status']),
  new SchemaValidEntityPolicy(),
  new DefaultNamespaceEntityPolicy(),
  new FieldFormatEntityPolicy(makeValidator()),
]);

const kindValidators = [
  componentEntityV1alpha1Validator,
  apiEntityV1alpha1Validator,
  resourceEntityV1alpha1Validator,
  systemEntityV1alpha1Validator,
  domainEntityV1alpha1Validator,
  groupEntityV1alpha1Validator,
  userEntityV1alpha1Validator,
  locationEntityV1alpha1Validator,
];

export type EntityValidation = { ok: true; entity: Entity } | { ok: false; message: string };

/**
 * Validates one parsed YAML/JSON document as a Backstage entity. On success the entity comes
 * back normalised (namespace defaulted to `default`); on failure, Backstage's own message.
 *
 * @example
 * ```ts
 * const v = await validateEntity({ apiVersion: 'backstage.io/v1alpha1', kind: 'Component',
 *   metadata: { name: 'x' }, spec: { type: 'service', owner: 'team-a' } });
 * // → { ok: false, message: "/spec must have required property 'lifecycle' - missingProperty: lifecycle" }
 * ```
 */
export async function validateEntity(document: unknown): Promise<EntityValidation> {
  if (document === null || typeof document !== 'object' || Array.isArray(document)) {
    return { ok: false, message: 'document is not an object (expected an entity with apiVersion, kind, metadata)' };
  }
  try {
    const entity = await policy.enforce(structuredClone(document) as BackstageEntity);
    if (!entity) return { ok: false, message: 'entity was rejected by the catalog policies' };
    for (const validator of kindValidators) {
      if (await validator.check(entity)) return { ok: true, entity: entity as unknown as Entity };
    }
    return {
      ok: false,
      message: `unsupported kind/apiVersion ${String(entity.kind)} ${String(entity.apiVersion)} (supported kinds: Component, API, Resource, System, Domain, Group, User, Location)`,
    };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}
