import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import PQueue from 'p-queue';
import type { Runtime } from '../scoring/index.js';
import type { Job } from '../store/index.js';
import { type JobEnv, type JobPayload, planDueJobs, runJob } from './jobs.js';

export interface WorkerOptions {
  /** Jobs run at once in this process. */
  concurrency?: number;
  /** Concurrent runs per collector (external API limits), default 2. */
  perCollector?: Record<string, number>;
  leaseSeconds?: number;
  pollMs?: number;
  /** First retry delay of a failed job in seconds, doubled per attempt up to 30 min (default 30). */
  retryBaseSeconds?: number;
  /** Also plan due sweeps (safe in every process: planning is idempotent). */
  plan?: boolean;
  id?: string;
  log?: JobEnv['log'];
}

/**
 * Claims jobs from the shared queue and runs them. Any number of workers (in any number of
 * processes) can share one database: each job is claimed by one lease holder at a time, and a
 * job whose worker died is claimed again once its lease runs out.
 */
export class Worker {
  readonly id: string;
  readonly #queue: PQueue;
  readonly #perCollector = new Map<string, PQueue>();
  readonly #abort = new AbortController();
  readonly #leaseSeconds: number;
  readonly #pollMs: number;
  #loop?: Promise<void>;
  #wake?: () => void;
  #stopping = false;
  processed = 0;

  constructor(
    private readonly runtime: Runtime,
    private readonly options: WorkerOptions = {},
  ) {
    this.id = options.id ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
    this.#queue = new PQueue({ concurrency: options.concurrency ?? runtime.config.workerConcurrency });
    this.#leaseSeconds = options.leaseSeconds ?? 60;
    this.#pollMs = options.pollMs ?? 1000;
  }

  start(): void {
    this.#loop ??= this.#run();
  }

  /** Stop claiming, let running jobs finish (their leases are kept until done), then resolve. */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#wake?.();
    await this.#loop;
    await this.#queue.onIdle();
  }

  /** Wake the loop now (e.g. after enqueueing work). */
  poke(): void {
    this.#wake?.();
  }

  async #run(): Promise<void> {
    const log = this.options.log ?? { info: () => {}, warn: () => {} };
    let lastPlan = 0;
    while (!this.#stopping) {
      try {
        if (this.options.plan && Date.now() - lastPlan > 30_000) {
          lastPlan = Date.now();
          await planDueJobs(this.runtime);
        }
        const free = this.#queue.concurrency - this.#queue.pending - this.#queue.size;
        const jobs = free > 0 ? await this.runtime.store.jobs.claim(this.id, free, this.#leaseSeconds) : [];
        for (const job of jobs) void this.#queue.add(() => this.#execute(job, log));
        if (jobs.length > 0 && jobs.length === free) continue;
      } catch (err) {
        // Database down or restarting: keep the process alive and try again shortly.
        log.warn('worker: claiming jobs failed', { error: err instanceof Error ? err.message : String(err) });
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.#pollMs);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  async #execute(job: Job, log: JobEnv['log']): Promise<void> {
    const jobAbort = new AbortController();
    const onStop = () => jobAbort.abort();
    this.#abort.signal.addEventListener('abort', onStop);
    const heartbeat = setInterval(() => {
      this.runtime.store.jobs.heartbeat(job.id, this.id, this.#leaseSeconds).then(
        (held) => {
          if (!held) jobAbort.abort(new Error('lease lost'));
        },
        () => {},
      );
    }, (this.#leaseSeconds * 1000) / 3);
    try {
      const env: JobEnv = { runtime: this.runtime, signal: jobAbort.signal, log, limit: (c, task) => this.#limiter(c).add(task) as Promise<never> };
      await runJob(env, job.payload as JobPayload);
      await this.runtime.store.jobs.complete(job.id, this.id);
      this.processed++;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      log.warn(`job ${job.id} (${job.kind}) failed`, { error: message, attempt: job.attempts });
      // Exponential backoff: 30 s, 1 min, 2 min, … capped at 30 min (by default).
      const retryIn = Math.min(1800, (this.options.retryBaseSeconds ?? 30) * 2 ** Math.max(0, job.attempts - 1));
      await this.runtime.store.jobs.fail(job.id, this.id, message, retryIn).catch(() => {});
    } finally {
      clearInterval(heartbeat);
      this.#abort.signal.removeEventListener('abort', onStop);
    }
  }

  #limiter(collector: string): PQueue {
    let q = this.#perCollector.get(collector);
    if (!q) {
      q = new PQueue({ concurrency: this.options.perCollector?.[collector] ?? 2 });
      this.#perCollector.set(collector, q);
    }
    return q;
  }
}
