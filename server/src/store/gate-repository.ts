import { type Kysely, sql } from 'kysely';
import type { Entity, Exemption } from '../engine/types.js';
import { hashJson } from './canonical-json.js';
import type { Database } from './database.js';
import type { StoredEntity } from './entity-repository.js';
import type { FactWrite, StoredFact } from './fact-repository.js';

/** One recorded gate decision, as written by the gate service. */
export interface GateVerdictRecord {
  repo: string;
  sha: string;
  pullRequest: number | null;
  passed: boolean;
  definitionsVersion: string;
  /** The full response sent to CI, so a verdict can be explained later. */
  verdict: unknown;
}

export interface StoredGateVerdict extends GateVerdictRecord {
  id: string;
  createdAt: Date;
}

/** Which entities a gate request is about: those of a repository, or those named. */
export type GateTarget = { githubSlug: string } | { refs: string[] };

/** Everything a verdict is computed from, read in one statement. */
export interface GateContext {
  /** Ordered by ref (as `entities.list`); every kind — the caller keeps the scored ones. */
  entities: StoredEntity[];
  /** Default-branch facts (scope ''), by entity ref. */
  baseFacts: Map<string, StoredFact[]>;
  /** Facts stored under the request's scope (`sha:<sha>`), by entity ref. */
  scopedFacts: Map<string, StoredFact[]>;
  /** Exemptions neither revoked nor expired at `now`, ordered by expiry (as `exemptions.active`). */
  exemptions: Exemption[];
}

type Json = Record<string, unknown>;
const date = (v: unknown): Date => new Date(v as string);

/**
 * The `gate_verdicts` table: an append-only log of every verdict handed to CI.
 *
 * @example
 * ```ts
 * await store.gates.record({ repo: 'acme/payments-api', sha, pullRequest: 42, passed: true, definitionsVersion, verdict });
 * const [last] = await store.gates.list({ repo: 'acme/payments-api', sha, limit: 1 });
 * ```
 */
export class GateRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Read what a gate request needs in one round trip: the entities (of the repository, or the
   * named ones), their default-branch facts and the facts already stored under `scope`, and their
   * active exemptions. Same rows as `entities.list`, `facts.latest` (twice) and
   * `exemptions.active`, which took four statements.
   */
  async context(target: GateTarget, scope: string, now: Date): Promise<GateContext> {
    const which = 'githubSlug' in target
      ? sql`github_slug = ${target.githubSlug.toLowerCase()}`
      : sql`ref = any(${target.refs}::text[])`;
    const rows = (await sql<{ k: 'e' | 'f' | 'x'; ref: string; v: Json }>`
      with e as (select ref, owner, system, descriptor from entities where ${which})
      select 'e' as k, e.ref, null::timestamptz as at, to_jsonb(e) as v from e
      union all
      select 'f', f.entity_ref, f.collected_at, to_jsonb(f) from facts f
      where f.entity_ref in (select ref from e) and f.scope = ''
      union all
      select 'f', f.entity_ref, f.collected_at, to_jsonb(f) from facts f
      where f.entity_ref in (select ref from e) and f.scope = ${scope}
      union all
      select 'x', x.entity_ref, x.expires_at, to_jsonb(x) from exemptions x
      where x.entity_ref in (select ref from e) and x.revoked_at is null and x.expires_at > ${now}
      order by k, at, ref`.execute(this.db)).rows;
    const out: GateContext = { entities: [], baseFacts: new Map(), scopedFacts: new Map(), exemptions: [] };
    for (const { k, v } of rows) {
      if (k === 'e') {
        out.entities.push({ ref: v.ref as string, entity: v.descriptor as Entity, owner: v.owner as string | null, system: v.system as string | null });
      } else if (k === 'f') {
        const fact: StoredFact = {
          entityRef: v.entity_ref as string, id: v.fact_id as string, scope: v.scope as string, data: v.data, source: v.source as string,
          collectedAt: date(v.collected_at), changedAt: date(v.changed_at),
          lastError: v.last_error as string | null, lastErrorAt: v.last_error_at == null ? null : date(v.last_error_at),
          hash: v.hash as string,
        };
        const byRef = fact.scope === '' ? out.baseFacts : out.scopedFacts;
        const list = byRef.get(fact.entityRef);
        if (list) list.push(fact);
        else byRef.set(fact.entityRef, [fact]);
      } else {
        out.exemptions.push({
          id: v.id as string, entityRef: v.entity_ref as string, checkId: v.check_id as string, reason: v.reason as string,
          author: v.author as string, expiresAt: date(v.expires_at).toISOString(), createdAt: date(v.created_at).toISOString(),
        });
      }
    }
    return out;
  }

  /**
   * Append a verdict and store the pull request's facts with it, in one statement (so one round
   * trip and one commit): each fact is upserted into `facts` and, when its data differs from the
   * stored row's (or is new), appended to `fact_history` — what `facts.write` does, which took a
   * transaction of four statements plus the verdict's own insert.
   */
  async record(v: GateVerdictRecord, facts: readonly FactWrite[] = []): Promise<{ id: string }> {
    // The last write of a key wins, as in `facts.write`: one upsert may not touch a row twice.
    const byKey = new Map<string, Json>();
    const now = new Date();
    for (const f of facts) {
      const scope = f.scope ?? '';
      byKey.set(`${f.entityRef}\u0000${f.id}\u0000${scope}`, {
        entity_ref: f.entityRef, fact_id: f.id, scope, data: f.data, hash: hashJson(f.data), source: f.source,
        collected_at: (f.collectedAt ?? now).toISOString(),
      });
    }
    const row = (await sql<{ id: string | number }>`
      with input as (
        select x->>'entity_ref' as entity_ref, x->>'fact_id' as fact_id, x->>'scope' as scope, x->'data' as data,
          x->>'hash' as hash, x->>'source' as source, (x->>'collected_at')::timestamptz as collected_at, n
        from jsonb_array_elements(${JSON.stringify([...byKey.values()])}::jsonb) with ordinality as t(x, n)
      ),
      history as (
        insert into fact_history (entity_ref, fact_id, scope, data, hash, source, collected_at)
        select i.entity_ref, i.fact_id, i.scope, i.data, i.hash, i.source, i.collected_at from input i
        where not exists (
          select 1 from facts f
          where f.entity_ref = i.entity_ref and f.fact_id = i.fact_id and f.scope = i.scope and f.hash = i.hash)
        order by i.n
      ),
      latest as (
        insert into facts (entity_ref, fact_id, scope, data, hash, source, collected_at, changed_at, last_error, last_error_at)
        select i.entity_ref, i.fact_id, i.scope, i.data, i.hash, i.source, i.collected_at, i.collected_at, null, null from input i order by i.n
        on conflict (entity_ref, fact_id, scope) do update set
          data = excluded.data, hash = excluded.hash, source = excluded.source, collected_at = excluded.collected_at,
          changed_at = case when facts.hash = excluded.hash then facts.changed_at else excluded.changed_at end,
          last_error = null, last_error_at = null
      )
      insert into gate_verdicts (repo, sha, pull_request, passed, definitions_version, verdict)
      values (${v.repo.toLowerCase()}, ${v.sha}, ${v.pullRequest}, ${v.passed}, ${v.definitionsVersion}, ${JSON.stringify(v.verdict)}::jsonb)
      returning id`.execute(this.db)).rows[0];
    return { id: String(row.id) };
  }

  /** Newest first. */
  async list(filter: { repo?: string; sha?: string; pullRequest?: number; limit?: number } = {}): Promise<StoredGateVerdict[]> {
    let q = this.db.selectFrom('gate_verdicts').selectAll().orderBy('id', 'desc').limit(filter.limit ?? 50);
    if (filter.repo) q = q.where('repo', '=', filter.repo.toLowerCase());
    if (filter.sha) q = q.where('sha', '=', filter.sha);
    if (filter.pullRequest !== undefined) q = q.where('pull_request', '=', filter.pullRequest);
    const rows = await q.execute();
    return rows.map((r) => ({
      id: String(r.id),
      repo: r.repo ?? '',
      sha: r.sha,
      pullRequest: r.pull_request,
      passed: r.passed,
      definitionsVersion: r.definitions_version,
      verdict: r.verdict,
      createdAt: r.created_at as Date,
    }));
  }
}
