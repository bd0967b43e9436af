import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { migrate, openStore } from '../store/index.js';
import type { Command } from './command.js';

export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'Apply pending database migrations (or roll back the last with --down)',
  usage: '[--down]',
  async run(args) {
    const { values } = parseArgs({ args, options: { down: { type: 'boolean', default: false } } });
    const config = loadConfig();
    const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, migrate: false });
    try {
      const result = await migrate(store.db, values.down ? 'down' : 'latest');
      const done = result.results ?? [];
      if (done.length === 0) process.stdout.write('Database is up to date.\n');
      for (const r of done) process.stdout.write(`${r.direction === 'Up' ? 'applied' : 'rolled back'} ${r.migrationName}\n`);
      return 0;
    } finally {
      await store.close();
    }
  },
};
