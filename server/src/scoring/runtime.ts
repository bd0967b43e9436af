import { isAbsolute, relative } from 'node:path';
import { collectors as allCollectors, factMaxAges, factSchemas, type Collector } from '../collectors/index.js';
import type { Config } from '../config.js';
import { errors } from '../errors.js';
import { formatProblems, loadDefinitions, type Definitions } from '../engine/index.js';
import type { DefinitionProblem } from '../engine/types.js';
import { readDefinitionDir } from '../definitions/read-folder.js';
import { openStore, type Store } from '../store/index.js';
import { syncCatalog, type CatalogSyncResult } from './catalog-sync.js';
import { FactValidator, pushFacts } from './fact-push.js';
import { rescore, type RescoreSummary } from './rescore.js';

/** A folder as problems show it: relative to the working directory when inside it. */
function relativeName(dir: string): string {
  const rel = relative(process.cwd(), dir);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : dir;
}

/** Load checks and tracks from their folders and validate them against the collectors' fact schemas. */
export async function loadDefinitionsFromDisk(
  dirs: { checksDir: string; tracksDir: string },
  list: readonly Collector[] = allCollectors,
): Promise<{ definitions: Definitions; problems: DefinitionProblem[] }> {
  const [checks, tracks] = await Promise.all([
    readDefinitionDir(dirs.checksDir, relativeName(dirs.checksDir)),
    readDefinitionDir(dirs.tracksDir, relativeName(dirs.tracksDir)),
  ]);
  return loadDefinitions({ checks, tracks, factSchemas: factSchemas(list) });
}

/**
 * Everything a running Yardstick holds: config, store, collectors and the current definitions.
 * Definitions are swapped as a whole on reload, so each evaluation sees one consistent version.
 */
export class Runtime {
  #definitions: Definitions;
  readonly maxAges: Readonly<Record<string, number>>;
  readonly factValidator: FactValidator;

  private constructor(
    readonly config: Readonly<Config>,
    readonly store: Store,
    definitions: Definitions,
    readonly collectors: readonly Collector[],
  ) {
    this.#definitions = definitions;
    this.maxAges = factMaxAges(collectors);
    this.factValidator = new FactValidator(factSchemas(collectors));
  }

  /** Open the store, load definitions (refusing invalid ones) — no catalog sync, no scoring yet. */
  static async open(config: Readonly<Config>, options: { collectors?: readonly Collector[]; store?: Store } = {}): Promise<Runtime> {
    const list = options.collectors ?? allCollectors;
    const { definitions, problems } = await loadDefinitionsFromDisk(config, list);
    if (problems.length > 0) throw new errors.YS_ERR_DEFINITIONS_INVALID(`\n${formatProblems(problems)}`);
    const store = options.store ?? (await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }));
    return new Runtime(config, store, definitions, list);
  }

  get definitions(): Definitions {
    return this.#definitions;
  }

  /** Re-read checks and tracks; on problems the current definitions stay in force. */
  async reloadDefinitions(): Promise<{ version: string; problems: DefinitionProblem[]; changed: boolean }> {
    const { definitions, problems } = await loadDefinitionsFromDisk(this.config, this.collectors);
    if (problems.length > 0) return { version: this.#definitions.version, problems, changed: false };
    const changed = definitions.version !== this.#definitions.version;
    this.#definitions = definitions;
    return { version: definitions.version, problems, changed };
  }

  /** Replace the definitions directly (tests, preview promotion). */
  useDefinitions(definitions: Definitions): void {
    this.#definitions = definitions;
  }

  syncCatalog(signal?: AbortSignal): Promise<CatalogSyncResult> {
    return syncCatalog(this.store, this.config, signal);
  }

  /** Push the facts of a `facts push` document (`{ source?, facts: [...] }`); all or nothing. */
  async pushFactDocument(doc: unknown, where: string, defaultSource = 'push') {
    if (!doc || typeof doc !== 'object' || Array.isArray(doc)) {
      throw new errors.YS_ERR_FACT_INVALID(`${where}: must be an object { "source"?, "facts": [...] }`);
    }
    const { source, facts } = doc as { source?: unknown; facts?: unknown };
    const label = typeof source === 'string' && source.length > 0 && source.length <= 100 ? source : defaultSource;
    return pushFacts(this.store, this.factValidator, facts, { source: label, where });
  }

  rescore(options: { refs?: string[]; now?: Date; onProgress?: (done: number, total: number) => void; keepEvaluations?: boolean } = {}): Promise<RescoreSummary> {
    return rescore(this.store, this.#definitions, { ...options, maxAges: this.maxAges });
  }

  close(): Promise<void> {
    return this.store.close();
  }
}
