import { type Kysely, sql } from 'kysely';
import type { Database, JobRow } from './database.js';

/** A unit of work in the shared queue. */
export interface Job<P = unknown> {
  id: string;
  kind: string;
  payload: P;
  attempts: number;
  maxAttempts: number;
  leaseUntil: Date | null;
  lockedBy: string | null;
}

export interface NewJob {
  kind: string;
  payload: unknown;
  /** At most one queued or running job per key (a sweep slot, an entity refresh). */
  dedupeKey?: string;
  runAt?: Date;
  maxAttempts?: number;
}

/**
 * The job queue in PostgreSQL. Workers claim with `FOR UPDATE SKIP LOCKED` and hold a lease;
 * a job whose lease ran out (its worker died) is claimed again by another worker. Only the
 * lease holder can complete or fail a job, so a worker that lost its lease cannot double-finish it.
 */
export class JobRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Enqueue jobs; a job whose dedupe key is already queued or running is skipped. Returns how many were added. */
  async enqueue(jobs: NewJob[]): Promise<number> {
    let added = 0;
    for (let i = 0; i < jobs.length; i += 500) {
      const chunk = jobs.slice(i, i + 500);
      const rows = await this.db
        .insertInto('jobs')
        .values(chunk.map((j) => ({
          kind: j.kind, payload: JSON.stringify(j.payload ?? {}), dedupe_key: j.dedupeKey ?? null,
          run_at: j.runAt ?? new Date(), max_attempts: j.maxAttempts ?? 5,
        })))
        .onConflict((oc) => oc.column('dedupe_key').where(sql<boolean>`status in ('queued', 'running')`).doNothing())
        .returning('id')
        .execute();
      added += rows.length;
    }
    return added;
  }

  /** Whether a job with this dedupe key was ever enqueued (any status). */
  async seen(dedupeKey: string): Promise<boolean> {
    return Boolean(await this.db.selectFrom('jobs').select('id').where('dedupe_key', '=', dedupeKey).limit(1).executeTakeFirst());
  }

  /**
   * Claim up to `limit` due jobs for `worker` with a lease of `leaseSeconds`: queued jobs whose
   * time has come, and running jobs whose lease expired. Jobs out of attempts are marked failed.
   */
  async claim(worker: string, limit: number, leaseSeconds: number, kinds?: string[]): Promise<Job[]> {
    await sql`
      update jobs set status = 'failed', finished_at = now(), last_error = coalesce(last_error, 'lease expired too many times')
      where status = 'running' and lease_until < now() and attempts >= max_attempts`.execute(this.db);
    const kindFilter = kinds && kinds.length ? sql`and kind in (${sql.join(kinds)})` : sql``;
    const result = await sql<JobRow>`
      update jobs set status = 'running', locked_by = ${worker}, attempts = attempts + 1,
        lease_until = now() + make_interval(secs => ${leaseSeconds})
      where id in (
        select id from jobs
        where ((status = 'queued' and run_at <= now()) or (status = 'running' and lease_until < now()))
          ${kindFilter}
        order by run_at, id
        limit ${limit}
        for update skip locked)
      returning *`.execute(this.db);
    return result.rows.map(fromRow);
  }

  /** Extend the lease; false when the worker no longer holds it. */
  async heartbeat(id: string, worker: string, leaseSeconds: number): Promise<boolean> {
    const r = await this.db
      .updateTable('jobs')
      .set({ lease_until: sql`now() + make_interval(secs => ${leaseSeconds})` })
      .where('id', '=', id).where('locked_by', '=', worker).where('status', '=', 'running')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Mark done; false when the lease was lost (another worker owns the job now). */
  async complete(id: string, worker: string): Promise<boolean> {
    const r = await this.db
      .updateTable('jobs')
      .set({ status: 'done', finished_at: new Date(), lease_until: null, last_error: null })
      .where('id', '=', id).where('locked_by', '=', worker).where('status', '=', 'running')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Record a failure: retried after `retryInSeconds` while attempts remain, else failed for good. */
  async fail(id: string, worker: string, error: string, retryInSeconds: number): Promise<void> {
    await sql`
      update jobs set
        status = case when attempts >= max_attempts then 'failed' else 'queued' end,
        finished_at = case when attempts >= max_attempts then now() else null end,
        run_at = now() + make_interval(secs => ${retryInSeconds}),
        lease_until = null, last_error = ${error.slice(0, 2000)}
      where id = ${id} and locked_by = ${worker} and status = 'running'`.execute(this.db);
  }

  async counts(): Promise<Record<string, number>> {
    const rows = await this.db.selectFrom('jobs').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('status').execute();
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  }

  /** Drop finished jobs older than `before`. */
  async prune(before: Date): Promise<number> {
    const r = await this.db.deleteFrom('jobs').where('status', 'in', ['done', 'failed']).where('finished_at', '<', before).executeTakeFirst();
    return Number(r.numDeletedRows ?? 0);
  }
}

function fromRow(row: JobRow): Job {
  return {
    id: String(row.id), kind: row.kind, payload: row.payload, attempts: row.attempts, maxAttempts: row.max_attempts,
    leaseUntil: row.lease_until ? new Date(row.lease_until) : null, lockedBy: row.locked_by,
  };
}

/** Persistent key-value cache for collectors (ETags and the bodies they validate). */
export class HttpCacheRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async get(key: string): Promise<unknown | undefined> {
    const row = await this.db.selectFrom('http_cache').select('value').where('key', '=', key).executeTakeFirst();
    return row?.value;
  }

  async set(key: string, value: unknown): Promise<void> {
    await this.db
      .insertInto('http_cache')
      .values({ key, value: JSON.stringify(value), updated_at: new Date() })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(value), updated_at: new Date() }))
      .execute();
  }
}
