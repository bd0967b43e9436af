import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig, type Config, type ConfigOverrides } from '../config.js';
import { Runtime } from '../scoring/index.js';

/** The example organisation's pushed facts (labelled example data inside each file). */
export const EXAMPLE_FACTS_DIR = 'examples/facts';

export function exampleFactFiles(dir = EXAMPLE_FACTS_DIR): string[] {
  if (!existsSync(dir)) return [];
  if (statSync(dir).isFile()) return [dir];
  return readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => join(dir, f));
}

export function stderr(line: string): void {
  process.stderr.write(`${line}\n`);
}

/**
 * Open the runtime for a command: config, store (embedded unless DATABASE_URL), definitions;
 * then load the catalog and, with `example`, push the example organisation's facts.
 */
export async function openRuntime(options: { overrides?: ConfigOverrides; example?: boolean; sync?: boolean; quiet?: boolean }): Promise<Runtime> {
  const seed = options.example ? exampleFactFiles() : [];
  const config: Readonly<Config> = loadConfig(process.env, { ...options.overrides, ...(seed.length ? { seedFactFiles: seed } : {}) });
  const say = options.quiet ? () => {} : stderr;
  if (!config.databaseUrl && !existsSync(join(config.dataDir, 'PG_VERSION'))) {
    say(`Creating the embedded database in ${config.dataDir} (the first run takes a few seconds)…`);
  }
  const runtime = await Runtime.open(config);
  if (options.sync === false) return runtime;
  try {
    const synced = await runtime.syncCatalog();
    for (const p of synced.problems) say(`catalog: ${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}`);
    say(`Catalog: ${synced.entities} entities${synced.removed.length ? `, ${synced.removed.length} removed` : ''}.`);
    const { readFile } = await import('node:fs/promises');
    for (const file of config.seedFactFiles) {
      const summary = await runtime.pushFactDocument(JSON.parse(await readFile(file, 'utf8')), file, 'seed');
      say(`Facts from ${file}: ${summary.written} (${summary.changed} changed).`);
    }
  } catch (err) {
    await runtime.close();
    throw err;
  }
  return runtime;
}
