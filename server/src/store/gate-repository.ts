import type { Kysely } from 'kysely';
import type { Database } from './database.js';

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

  async record(v: GateVerdictRecord): Promise<{ id: string }> {
    const row = await this.db
      .insertInto('gate_verdicts')
      .values({
        repo: v.repo.toLowerCase(),
        sha: v.sha,
        pull_request: v.pullRequest,
        passed: v.passed,
        definitions_version: v.definitionsVersion,
        verdict: JSON.stringify(v.verdict),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
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
