import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { Worker } from '../scheduler/index.js';
import { Runtime } from '../scoring/index.js';
import type { Command } from './command.js';
import { stderr } from './shared.js';

export const workerCommand: Command = {
  name: 'worker',
  summary: 'Run collection jobs from the shared queue (any number of workers can share one database)',
  usage: '[--concurrency N] [--lease SECONDS] [--no-plan]',
  async run(args) {
    const { values } = parseArgs({
      args,
      options: { concurrency: { type: 'string' }, lease: { type: 'string' }, 'no-plan': { type: 'boolean', default: false } },
    });
    const config = loadConfig();
    const runtime = await Runtime.open(config);
    const worker = new Worker(runtime, {
      concurrency: values.concurrency ? Number(values.concurrency) : undefined,
      leaseSeconds: values.lease ? Number(values.lease) : undefined,
      plan: !values['no-plan'],
      log: { info: (m, x) => stderr(`${m}${x ? ` ${JSON.stringify(x)}` : ''}`), warn: (m, x) => stderr(`warning: ${m}${x ? ` ${JSON.stringify(x)}` : ''}`) },
    });
    worker.start();
    stderr(`Worker ${worker.id} started (${config.databaseUrl ? 'PostgreSQL' : `embedded database in ${config.dataDir}`}).`);
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    });
    stderr('Stopping: finishing jobs in flight…');
    await worker.stop();
    await runtime.close();
    return 0;
  },
};
