import type { Entity } from '../engine/types.js';

/**
 * One entity of the catalog with its canonical ref (`component:default/payments-api`,
 * lowercase kind, as `stringifyEntityRef` from `@backstage/catalog-model` writes it).
 */
export interface CatalogEntity {
  ref: string;
  entity: Entity;
  /** Where it was read from: a file path (relative to the working directory when inside it) or a URL. */
  source: { file: string; document?: number };
}

/**
 * Something wrong with one place the catalog was read from. The entity (or target) it
 * names was skipped; everything else still loaded.
 *
 * @example
 * `{ file: "catalog/teams/payments.yaml", document: 2, line: 41,
 *    message: "component:default/fraud-scoring: /spec must have required property 'lifecycle'" }`
 */
export interface CatalogProblem {
  /** File path or URL (never carrying a token) the problem was found in. */
  file: string;
  /** 0-based index of the YAML document inside the file, when the problem is about one document. */
  document?: number;
  /** 1-based line where the document (or the YAML syntax error) starts, when known. */
  line?: number;
  message: string;
}

/** Options of {@link loadCatalog}. */
export interface LoadCatalogOptions {
  /** Files or folders. A folder is scanned recursively for `catalog-info.yaml`; each path is its own catalog root. */
  paths: string[];
  /** Base URL of a running Backstage (e.g. `https://backstage.example.com`); its host must be in `allowedHosts`. */
  backstageUrl?: string;
  /** Host names (optionally `host:port`, or `*.example.com`) that URL targets and `backstageUrl` may point at. */
  allowedHosts?: string[];
  /** Bearer token sent to `backstageUrl` only. */
  token?: string;
  /** Abort a slow load (HTTP reads honour it). */
  signal?: AbortSignal;
  /** Injected for tests; defaults to the global `fetch`. */
  fetch?: typeof fetch;
}
