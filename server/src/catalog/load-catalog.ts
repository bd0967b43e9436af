import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Entity } from '../engine/types.js';
import { errors } from '../errors.js';
import { readBackstageEntities } from './backstage-reader.js';
import { Catalog, toEntityRef } from './catalog.js';
import { assertUrlAllowed } from './host-policy.js';
import { readUrl, showUrl } from './http-read.js';
import { readYamlDocuments } from './read-yaml.js';
import type { CatalogEntity, CatalogProblem, LoadCatalogOptions } from './types.js';
import { validateEntity } from './validate-entity.js';

/** File names picked up when a folder is scanned. */
export const CATALOG_FILE_NAMES = ['catalog-info.yaml', 'catalog-info.yml'];
const SKIPPED_FOLDERS = new Set(['node_modules', '.git']);
const MAX_FILE_BYTES = 10 * 1024 * 1024;

/** Where a catalog file came from: a file inside a root folder, or a URL. */
type Origin = { kind: 'file'; path: string; root: string } | { kind: 'url'; url: URL };

/** A path as shown to people: relative to the working directory when inside it. */
function showPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

function isInside(root: string, file: string): boolean {
  const relative = path.relative(root, file);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

class CatalogLoader {
  readonly entities = new Map<string, CatalogEntity>();
  readonly problems: CatalogProblem[] = [];
  readonly #visited = new Set<string>();
  readonly #allowedHosts: readonly string[];

  constructor(private readonly options: LoadCatalogOptions) {
    this.#allowedHosts = options.allowedHosts ?? [];
  }

  async loadPath(input: string): Promise<void> {
    let real: string;
    try {
      real = await realpath(path.resolve(input));
    } catch {
      this.problems.push({ file: input, message: `catalog path ${input} does not exist` });
      return;
    }
    if ((await stat(real)).isDirectory()) {
      for (const file of await this.#scan(real)) await this.#loadFile(file, real);
    } else {
      await this.#loadFile(real, path.dirname(real));
    }
  }

  async loadBackstage(baseUrl: string): Promise<void> {
    let url: URL;
    try {
      url = new URL(baseUrl);
    } catch {
      throw new errors.YS_ERR_CATALOG_INVALID(`backstageUrl ${JSON.stringify(baseUrl)} is not a URL`);
    }
    // A misconfigured Backstage URL is an error at start, not a problem to skip.
    await assertUrlAllowed(url, this.#allowedHosts);
    let result: { entities: unknown[]; endpoint: string };
    try {
      result = await readBackstageEntities({ ...this.options, baseUrl, allowedHosts: this.#allowedHosts });
    } catch (error) {
      this.problems.push({ file: showUrl(url), message: `Backstage catalog could not be read: ${(error as Error).message}` });
      return;
    }
    for (const [index, document] of result.entities.entries()) {
      await this.#addDocument(document, { file: result.endpoint, document: index });
    }
  }

  async #scan(folder: string): Promise<string[]> {
    const found: string[] = [];
    const entries = await readdir(folder, { withFileTypes: true });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory() && !SKIPPED_FOLDERS.has(entry.name) && !entry.name.startsWith('.')) found.push(...(await this.#scan(full)));
      else if (entry.isFile() && CATALOG_FILE_NAMES.includes(entry.name)) found.push(full);
    }
    return found;
  }

  async #loadFile(file: string, root: string): Promise<void> {
    if (this.#visited.has(file)) return;
    this.#visited.add(file);
    const shown = showPath(file);
    let text: string;
    try {
      if ((await stat(file)).size > MAX_FILE_BYTES) throw new Error(`larger than ${MAX_FILE_BYTES} bytes`);
      text = await readFile(file, 'utf8');
    } catch (error) {
      this.problems.push({ file: shown, message: `catalog file could not be read: ${(error as Error).message}` });
      return;
    }
    await this.#loadText(text, shown, { kind: 'file', path: file, root });
  }

  async #loadUrl(url: URL): Promise<void> {
    const key = url.href;
    if (this.#visited.has(key)) return;
    this.#visited.add(key);
    let text: string;
    try {
      text = (await readUrl(url, { allowedHosts: this.#allowedHosts, fetch: this.options.fetch, signal: this.options.signal, maxBytes: MAX_FILE_BYTES })).text;
    } catch (error) {
      this.problems.push({ file: showUrl(url), message: `catalog URL could not be read: ${(error as Error).message}` });
      return;
    }
    await this.#loadText(text, showUrl(url), { kind: 'url', url });
  }

  async #loadText(text: string, shown: string, origin: Origin): Promise<void> {
    const { documents, problems } = readYamlDocuments(text, shown);
    this.problems.push(...problems);
    for (const doc of documents) {
      const entity = await this.#addDocument(doc.value, { file: shown, document: doc.index, line: doc.line });
      if (entity?.kind === 'Location') await this.#followLocation(entity, origin, { file: shown, document: doc.index, line: doc.line });
    }
  }

  async #addDocument(document: unknown, where: { file: string; document: number; line?: number }): Promise<Entity | undefined> {
    const result = await validateEntity(document);
    if (!result.ok) {
      const name = describe(document);
      this.problems.push({ ...where, message: `${name ? `${name}: ` : ''}invalid entity: ${result.message}` });
      return undefined;
    }
    const ref = toEntityRef(result.entity);
    const existing = this.entities.get(ref);
    if (existing) {
      this.problems.push({ ...where, message: `${ref} is defined twice; keeping the one from ${existing.source.file} (document ${existing.source.document})` });
      return undefined;
    }
    this.entities.set(ref, { ref, entity: result.entity, source: { file: where.file, document: where.document } });
    return result.entity;
  }

  async #followLocation(location: Entity, origin: Origin, where: Omit<CatalogProblem, 'message'>): Promise<void> {
    const spec = (location.spec ?? {}) as { type?: string; target?: string; targets?: string[]; presence?: string };
    const type = spec.type ?? (origin.kind === 'url' ? 'url' : 'file');
    const optional = spec.presence === 'optional';
    const targets = [...(spec.target ? [spec.target] : []), ...(spec.targets ?? [])];
    for (const raw of targets) {
      const problem = (message: string) => this.problems.push({ ...where, message: `Location target ${JSON.stringify(raw)}: ${message}` });
      if (type !== 'file' && type !== 'url') {
        problem(`location type ${JSON.stringify(type)} is not supported (use file or url)`);
        continue;
      }
      const target = await this.#resolveTarget(raw, origin);
      if ('error' in target) {
        problem(target.error);
      } else if ('url' in target) {
        await this.#loadUrl(target.url);
      } else {
        const exists = await stat(target.file).then((s) => s.isFile(), () => false);
        if (exists) await this.#loadFile(target.file, target.root);
        else if (!optional) problem(`file ${showPath(target.file)} does not exist`);
      }
    }
  }

  async #resolveTarget(raw: string, origin: Origin): Promise<{ url: URL } | { file: string; root: string } | { error: string }> {
    let target = raw.trim();
    let explicitUrl = false;
    if (target.startsWith('url:')) {
      target = target.slice(4);
      explicitUrl = true;
    } else if (target.startsWith('file:')) {
      target = target.slice(5);
    }
    if (explicitUrl || /^[a-z][a-z0-9+.-]*:\/\//i.test(target) || origin.kind === 'url') {
      let url: URL;
      try {
        url = new URL(target, origin.kind === 'url' ? origin.url : undefined);
      } catch {
        return { error: 'is not a valid URL' };
      }
      try {
        await assertUrlAllowed(url, this.#allowedHosts);
      } catch (error) {
        return { error: (error as Error).message };
      }
      return { url };
    }
    const { root } = origin;
    const resolved = path.resolve(path.dirname(origin.path), target);
    const escapes = `escapes the catalog root ${showPath(root)}; targets must stay inside the folder the catalog was loaded from`;
    if (!isInside(root, resolved)) return { error: escapes };
    // A symlink inside the root may still point outside it.
    const real = await realpath(resolved).catch(() => resolved);
    if (!isInside(root, real)) return { error: escapes };
    return { file: real, root };
  }
}

function describe(document: unknown): string | undefined {
  const d = document as { kind?: unknown; metadata?: { name?: unknown } } | null;
  return d && typeof d === 'object' && typeof d.kind === 'string' && typeof d.metadata?.name === 'string'
    ? `${d.kind.toLowerCase()}:${d.metadata.name}`
    : undefined;
}

/**
 * Loads the catalog from files, folders and optionally a running Backstage, following
 * `Location` entities. Invalid entities, unreadable files and refused targets become
 * `problems` and are skipped; the rest still loads. Throws `YS_ERR_CATALOG_INVALID` only for
 * a `backstageUrl` that is malformed or not allowed.
 *
 * @example
 * ```ts
 * const { catalog, problems } = await loadCatalog({ paths: ['examples/catalog'] });
 * for (const p of problems) console.warn(`${p.file}:${p.line ?? 1} ${p.message}`);
 * catalog.teams().length;
 * ```
 */
export async function loadCatalog(options: LoadCatalogOptions): Promise<{ catalog: Catalog; problems: CatalogProblem[] }> {
  const loader = new CatalogLoader(options);
  for (const input of options.paths) await loader.loadPath(input);
  if (options.backstageUrl) await loader.loadBackstage(options.backstageUrl);
  return { catalog: new Catalog(loader.entities.values()), problems: loader.problems };
}
