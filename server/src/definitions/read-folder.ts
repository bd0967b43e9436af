/**
 * Read `checks/*.json` and `tracks/*.json` from a standards folder and hand them to the
 * engine's pure loader. The only file I/O of the definitions path lives here.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadDefinitions, type Definitions } from '../engine/load-definitions.js';
import type { DefinitionFile, DefinitionProblem } from '../engine/types.js';

type FactSchemas = Parameters<typeof loadDefinitions>[0]['factSchemas'];

/** Read every definition file of one kind (`checks` or `tracks`), sorted by name, skipping `*.schema.json`. */
export function readDefinitionFiles(root: string, kind: 'checks' | 'tracks'): Promise<DefinitionFile[]> {
  return readDefinitionDir(path.join(root, kind), kind);
}

/**
 * Read the definition files of one folder; problems name them `<shownAs>/<file>` (relative:
 * readable, and free of machine paths). A missing folder has no definitions.
 */
export async function readDefinitionDir(dir: string, shownAs: string): Promise<DefinitionFile[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const files = names.filter((n) => n.endsWith('.json') && !n.endsWith('.schema.json')).sort();
  return Promise.all(files.map(async (n) => ({ file: `${shownAs}/${n}`, text: await readFile(path.join(dir, n), 'utf8') })));
}

/**
 * Load the definitions of a standards folder (the one holding `checks/` and `tracks/`).
 *
 * @example
 * ```ts
 * const { definitions, problems } = await readDefinitionsFolder('.', allFactSchemas(collectors));
 * if (problems.length) { console.error(formatProblems(problems)); process.exitCode = 1; }
 * ```
 */
export async function readDefinitionsFolder(
  root: string,
  factSchemas: FactSchemas,
): Promise<{ definitions: Definitions; problems: DefinitionProblem[] }> {
  const [checks, tracks] = await Promise.all([readDefinitionFiles(root, 'checks'), readDefinitionFiles(root, 'tracks')]);
  return loadDefinitions({ checks, tracks, factSchemas });
}
