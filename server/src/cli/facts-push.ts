import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { Command } from './command.js';
import { openRuntime } from './shared.js';

export const factsPushCommand: Command = {
  name: 'facts push',
  summary: 'Store facts from JSON files ({ "source", "facts": [{ entityRef, id, data }] }) and rescore',
  usage: 'FILE... [--no-rescore]',
  async run(args) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { 'no-rescore': { type: 'boolean', default: false } } });
    if (positionals.length === 0) {
      process.stderr.write('yardstick facts push: name at least one FILE\n');
      return 2;
    }
    const docs: { file: string; doc: unknown }[] = [];
    for (const file of positionals) {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (err) {
        process.stderr.write(`${file}: cannot read: ${(err as Error).message}\n`);
        return 2;
      }
      try {
        docs.push({ file, doc: JSON.parse(text) });
      } catch (err) {
        process.stderr.write(`${file}: invalid JSON: ${(err as Error).message}\n`);
        return 2;
      }
    }
    const runtime = await openRuntime({ quiet: true });
    try {
      const refs = new Set<string>();
      for (const { file, doc } of docs) {
        try {
          const summary = await runtime.pushFactDocument(doc, file);
          process.stdout.write(`${file}: ${summary.written} facts stored, ${summary.changed} changed.\n`);
          for (const f of (doc as { facts: { entityRef: string }[] }).facts) refs.add(f.entityRef);
        } catch (err) {
          process.stderr.write(`${(err as Error).message.replace(/^Invalid fact: /, '')}\n`);
          return 2;
        }
      }
      if (!values['no-rescore'] && refs.size > 0) {
        const summary = await runtime.rescore({ refs: [...refs] });
        process.stdout.write(`Rescored ${summary.entities} entities: ${summary.levelChanges} level changes.\n`);
      }
      return 0;
    } finally {
      await runtime.close();
    }
  },
};
