import type { Kysely } from 'kysely';
import type { Entity } from '../engine/types.js';
import type { Database, EntityRow } from './database.js';
import { forgetResults } from './result-repository.js';

/** What the store keeps of a catalog entity: the descriptor and the columns lists filter on. */
export interface StoredEntity {
  ref: string;
  entity: Entity;
  owner: string | null;
  system: string | null;
}

export interface EntityFilter {
  owner?: string;
  kind?: string;
  type?: string;
  lifecycle?: string;
  refs?: string[];
  githubSlug?: string;
  limit?: number;
  offset?: number;
}

const CHUNK = 500;

export class EntityRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Replace the stored catalog with `entities`; returns the refs that disappeared (and were removed). */
  async sync(entities: StoredEntity[]): Promise<{ upserted: number; removed: string[] }> {
    return this.db.transaction().execute(async (trx) => {
      for (let i = 0; i < entities.length; i += CHUNK) {
        const rows = entities.slice(i, i + CHUNK).map(toRow);
        await trx
          .insertInto('entities')
          .values(rows)
          .onConflict((oc) =>
            oc.column('ref').doUpdateSet((eb) => ({
              kind: eb.ref('excluded.kind'),
              namespace: eb.ref('excluded.namespace'),
              name: eb.ref('excluded.name'),
              title: eb.ref('excluded.title'),
              owner: eb.ref('excluded.owner'),
              system: eb.ref('excluded.system'),
              type: eb.ref('excluded.type'),
              lifecycle: eb.ref('excluded.lifecycle'),
              github_slug: eb.ref('excluded.github_slug'),
              descriptor: eb.ref('excluded.descriptor'),
              updated_at: new Date(),
            })),
          )
          .execute();
      }
      const keep = new Set(entities.map((e) => e.ref));
      const existing = await trx.selectFrom('entities').select('ref').execute();
      const removed = existing.map((r) => r.ref).filter((ref) => !keep.has(ref));
      for (let i = 0; i < removed.length; i += CHUNK) {
        const chunk = removed.slice(i, i + CHUNK);
        await trx.deleteFrom('entities').where('ref', 'in', chunk).execute();
        await trx.deleteFrom('facts').where('entity_ref', 'in', chunk).execute();
        await forgetResults(trx, chunk);
        await trx.deleteFrom('track_levels').where('entity_ref', 'in', chunk).execute();
      }
      return { upserted: entities.length, removed };
    });
  }

  async get(ref: string): Promise<StoredEntity | undefined> {
    const row = await this.db.selectFrom('entities').selectAll().where('ref', '=', ref).executeTakeFirst();
    return row && fromRow(row);
  }

  async list(filter: EntityFilter = {}): Promise<StoredEntity[]> {
    let q = this.db.selectFrom('entities').selectAll().orderBy('ref');
    if (filter.owner) q = q.where('owner', '=', filter.owner);
    if (filter.kind) q = q.where('kind', '=', filter.kind.toLowerCase());
    if (filter.type) q = q.where('type', '=', filter.type);
    if (filter.lifecycle) q = q.where('lifecycle', '=', filter.lifecycle);
    if (filter.githubSlug) q = q.where('github_slug', '=', filter.githubSlug.toLowerCase());
    if (filter.refs) {
      if (filter.refs.length === 0) return [];
      q = q.where('ref', 'in', filter.refs);
    }
    if (filter.limit !== undefined) q = q.limit(filter.limit);
    if (filter.offset !== undefined) q = q.offset(filter.offset);
    return (await q.execute()).map(fromRow);
  }

  async count(): Promise<number> {
    const row = await this.db.selectFrom('entities').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }
}

function toRow(e: StoredEntity) {
  const [kind, rest] = e.ref.split(':', 2);
  const [namespace, name] = rest.split('/', 2);
  const spec = (e.entity.spec ?? {}) as Record<string, unknown>;
  const slug = e.entity.metadata.annotations?.['github.com/project-slug'];
  return {
    ref: e.ref,
    kind,
    namespace,
    name,
    title: e.entity.metadata.title ?? null,
    owner: e.owner,
    system: e.system,
    type: typeof spec.type === 'string' ? spec.type : null,
    lifecycle: typeof spec.lifecycle === 'string' ? spec.lifecycle : null,
    github_slug: slug ? slug.toLowerCase() : null,
    descriptor: JSON.stringify(e.entity),
  };
}

function fromRow(row: EntityRow): StoredEntity {
  return { ref: row.ref, entity: row.descriptor as Entity, owner: row.owner, system: row.system };
}
