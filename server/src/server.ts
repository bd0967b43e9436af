/**
 * Run the HTTP application as a process: listen, sweep expired exemptions, and shut down
 * gracefully on SIGTERM/SIGINT (stop accepting, let in-flight requests finish, close the store).
 */
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { buildApp } from './app.js';
import { runJob, Worker } from './scheduler/index.js';
import type { Runtime } from './scoring/index.js';

export interface RunningServer {
  app: FastifyInstance;
  /** The address actually bound, e.g. `http://127.0.0.1:3000`. */
  url: string;
  /** Stop accepting, wait for in-flight requests, close the store. Safe to call twice. */
  close(): Promise<void>;
}

export interface StartServerOptions {
  runtime: Runtime;
  logger?: Logger;
  /** Install SIGTERM/SIGINT handlers that close the server and end the process (default true). */
  handleSignals?: boolean;
  /** How often expired exemptions are looked for (ms, default 10 minutes). */
  exemptionSweepMs?: number;
  /** Longest wait for in-flight requests on shutdown before the process ends anyway (ms). */
  shutdownTimeoutMs?: number;
}

/** How long a "refresh now" may collect before the request gives up (the job is retried by workers). */
const REFRESH_TIMEOUT_MS = 60_000;

/**
 * Rescore the entities whose stored results still count an exemption that has expired. Scorecard
 * reads do this for one entity; the sweep keeps lists, teams and the overview right too.
 */
export async function sweepExpiredExemptions(runtime: Runtime, now = new Date()): Promise<number> {
  const refs = await runtime.store.insights.refsWithExpiredExemptions(now);
  if (refs.length > 0) await runtime.rescore({ refs, now });
  return refs.length;
}

export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const { runtime } = options;
  const app = await buildApp({ runtime, logger: options.logger });
  const log = {
    info: (msg: string, extra?: object) => app.log.info(extra ?? {}, msg),
    warn: (msg: string, extra?: object) => app.log.warn(extra ?? {}, msg),
  };
  // "Refresh now": collect this entity from every configured source, then rescore it.
  (runtime as Runtime & { refreshEntity?: (ref: string) => Promise<void> }).refreshEntity = (ref) =>
    runJob({ runtime, signal: AbortSignal.timeout(REFRESH_TIMEOUT_MS), log, limit: (_c, task) => task() }, { kind: 'refresh', ref });
  // The scheduler runs in this process too (YARDSTICK_SCHEDULER=0 leaves collection to `yardstick worker`).
  const worker = runtime.config.scheduler ? new Worker(runtime, { plan: true, log }) : undefined;
  await app.listen({ port: runtime.config.port, host: runtime.config.host });
  const address = app.server.address();
  const url = typeof address === 'object' && address
    ? `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`
    : runtime.config.publicUrl;

  worker?.start();

  const sweep = setInterval(() => {
    sweepExpiredExemptions(runtime).then(
      (n) => n > 0 && app.log.info({ entities: n }, 'rescored entities with expired exemptions'),
      (err: unknown) => app.log.warn({ err }, 'expired-exemption sweep failed'),
    );
  }, options.exemptionSweepMs ?? 10 * 60_000);
  sweep.unref();

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      clearInterval(sweep);
      try {
        await app.close();
        await worker?.stop();
      } finally {
        await runtime.close();
      }
    })();
    return closing;
  };

  if (options.handleSignals !== false) {
    const onSignal = (signal: NodeJS.Signals) => {
      app.log.info({ signal }, 'shutting down: finishing in-flight requests');
      const timer = setTimeout(() => {
        app.log.warn('shutdown timed out; exiting');
        process.exit(1);
      }, options.shutdownTimeoutMs ?? 15_000);
      timer.unref();
      close().then(
        () => process.exit(0),
        (err: unknown) => {
          app.log.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  }
  return { app, url, close };
}
