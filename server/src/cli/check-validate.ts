import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { loadConfig } from '../config.js';
import { formatProblems } from '../engine/index.js';
import { loadDefinitionsFromDisk } from '../scoring/index.js';
import type { Command } from './command.js';

export const checkValidateCommand: Command = {
  name: 'check validate',
  summary: 'Validate checks and tracks; print every problem with file and JSON pointer',
  usage: '[DIR] [--checks DIR] [--tracks DIR] [--json]',
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { checks: { type: 'string' }, tracks: { type: 'string' }, json: { type: 'boolean', default: false } },
    });
    const config = loadConfig();
    const root = positionals[0];
    const checksDir = values.checks ?? (root ? join(root, 'checks') : config.checksDir);
    const tracksDir = values.tracks ?? (root ? join(root, 'tracks') : config.tracksDir);
    const { definitions, problems } = await loadDefinitionsFromDisk({ checksDir, tracksDir });
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ valid: problems.length === 0, version: definitions.version, checks: definitions.checks.size, tracks: definitions.tracks.size, problems }, null, 2)}\n`);
    } else if (problems.length > 0) {
      process.stderr.write(`${formatProblems(problems)}\n${problems.length} problem${problems.length === 1 ? '' : 's'} found.\n`);
    } else {
      process.stdout.write(`${definitions.checks.size} checks and ${definitions.tracks.size} tracks are valid (version ${definitions.version}).\n`);
    }
    return problems.length > 0 ? 1 : 0;
  },
};
