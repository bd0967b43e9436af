import { parseArgs } from 'node:util';
import { toEntityRef } from '../catalog/index.js';
import type { Command } from './command.js';
import { openRuntime } from './shared.js';

export const refreshCommand: Command = {
  name: 'refresh',
  summary: 'Re-read the catalog and rescore every entity (or the named ones); fills today’s roll-ups',
  usage: '[REF...] [--example]',
  async run(args) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { example: { type: 'boolean', default: false } } });
    const refs = positionals.map((r) => toEntityRef(r, { defaultKind: 'component' }));
    const runtime = await openRuntime({ example: values.example });
    try {
      const summary = await runtime.rescore(refs.length ? { refs } : {});
      process.stdout.write(`Rescored ${summary.entities} entities: ${summary.outcomeChanges} outcome changes, ${summary.levelChanges} level changes.\n`);
      return 0;
    } finally {
      await runtime.close();
    }
  },
};
