import { parseEntityRef, stringifyEntityRef, type CompoundEntityRef } from '@backstage/catalog-model';
import type { Entity } from '../engine/types.js';
import { errors } from '../errors.js';
import type { CatalogEntity } from './types.js';

/** Annotation naming the GitHub repository (`owner/name`) an entity lives in. */
export const ANNOTATION_GITHUB_SLUG = 'github.com/project-slug';

/**
 * Canonical string ref of an entity or ref (`component:default/payments-api`). Relative refs
 * (`payments-team`, `group:payments-team`) take `defaultKind` / `defaultNamespace`.
 * Throws `YS_ERR_ENTITY_REF_INVALID` for text that is no ref.
 *
 * @example
 * `toEntityRef('payments-team', { defaultKind: 'group' })` → `'group:default/payments-team'`
 */
export function toEntityRef(
  ref: string | Entity | CompoundEntityRef,
  context: { defaultKind?: string; defaultNamespace?: string } = {},
): string {
  try {
    if (typeof ref === 'string') return stringifyEntityRef(parseEntityRef(ref, { defaultNamespace: 'default', ...context }));
    if ('metadata' in ref) return stringifyEntityRef({ kind: ref.kind, namespace: ref.metadata.namespace, name: ref.metadata.name });
    return stringifyEntityRef(ref);
  } catch (error) {
    throw new errors.YS_ERR_ENTITY_REF_INVALID(`${JSON.stringify(typeof ref === 'string' ? ref : String(ref))}: ${(error as Error).message}`);
  }
}

function specString(entity: Entity, field: string): string | undefined {
  const value = entity.spec?.[field];
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/**
 * The loaded catalog: every valid entity by its canonical ref, and the relations Yardstick
 * needs (owner, system, domain, repository). Immutable once built.
 *
 * @example
 * ```ts
 * const { catalog } = await loadCatalog({ paths: ['catalog-info.yaml'] });
 * catalog.ownerOf('component:default/payments-api');   // 'group:default/payments-team'
 * catalog.entitiesByRepo('acme/payments-api');          // [{ ref, entity, source }]
 * ```
 */
export class Catalog {
  readonly entities: readonly CatalogEntity[];
  readonly #byRef = new Map<string, CatalogEntity>();

  constructor(entities: Iterable<CatalogEntity>) {
    for (const item of entities) this.#byRef.set(item.ref, item);
    this.entities = Object.freeze([...this.#byRef.values()]);
  }

  /** Builds a catalog from bare entities (refs computed); later duplicates win. */
  static fromEntities(entities: Iterable<Entity>, file = 'memory'): Catalog {
    return new Catalog([...entities].map((entity) => ({ ref: toEntityRef(entity), entity, source: { file } })));
  }

  get size(): number {
    return this.#byRef.size;
  }

  /** The entity for a ref (any spelling `parseEntityRef` accepts with a kind), or undefined. */
  get(ref: string | CompoundEntityRef): CatalogEntity | undefined {
    return this.#byRef.get(toEntityRef(ref));
  }

  has(ref: string | CompoundEntityRef): boolean {
    return this.get(ref) !== undefined;
  }

  /** Entities of one kind (case-insensitive: `component`, `Component`). */
  ofKind(kind: string): CatalogEntity[] {
    const wanted = kind.toLowerCase();
    return this.entities.filter((e) => e.entity.kind.toLowerCase() === wanted);
  }

  /** Group entities: the teams. */
  teams(): CatalogEntity[] {
    return this.ofKind('group');
  }

  /**
   * Canonical ref of the entity's `spec.owner` (default kind `group`, namespace of the
   * entity), whether or not that owner exists in the catalog. Undefined when the entity is
   * unknown, has no owner, or the owner is not a valid ref.
   */
  ownerOf(ref: string | CompoundEntityRef): string | undefined {
    return this.#relation(ref, 'owner', 'group');
  }

  /** Entities whose owner resolves to `ownerRef`. */
  ownedBy(ownerRef: string | CompoundEntityRef): CatalogEntity[] {
    const owner = toEntityRef(ownerRef, { defaultKind: 'group' });
    return this.entities.filter((e) => this.ownerOf(e.ref) === owner);
  }

  /** Canonical ref of `spec.system` (default kind `system`); undefined when absent. */
  systemOf(ref: string | CompoundEntityRef): string | undefined {
    return this.#relation(ref, 'system', 'system');
  }

  /**
   * Canonical ref of the domain: `spec.domain` of a System, or the domain of the entity's
   * system when that system is in the catalog.
   */
  domainOf(ref: string | CompoundEntityRef): string | undefined {
    const item = this.get(ref);
    if (!item) return undefined;
    if (item.entity.kind.toLowerCase() === 'system') return this.#relation(item.ref, 'domain', 'domain');
    const system = this.systemOf(item.ref);
    return system && this.has(system) ? this.#relation(system, 'domain', 'domain') : undefined;
  }

  /** Entities annotated with `github.com/project-slug: <slug>` (case-insensitive). */
  entitiesByRepo(slug: string): CatalogEntity[] {
    const wanted = slug.trim().toLowerCase();
    return this.entities.filter((e) => e.entity.metadata.annotations?.[ANNOTATION_GITHUB_SLUG]?.trim().toLowerCase() === wanted);
  }

  #relation(ref: string | CompoundEntityRef, field: string, defaultKind: string): string | undefined {
    const item = this.get(ref);
    const target = item && specString(item.entity, field);
    if (!item || !target) return undefined;
    try {
      return toEntityRef(target, { defaultKind, defaultNamespace: item.entity.metadata.namespace ?? 'default' });
    } catch {
      return undefined;
    }
  }
}
