import type { Entity } from '../engine/types.js';

/** A JSON Schema (draft 2020-12) describing one fact's `data`. */
export type JsonSchema = Record<string, unknown>;

/** One fact as produced by a collector: raw data, never a verdict. */
export interface CollectedFact {
  entityRef: string;
  /** Fact id `<collector>.<name>`; must be a key of the collector's `factSchemas`. */
  id: string;
  data: unknown;
  /** When the data was observed (defaults to now). */
  collectedAt?: Date;
}

/** A failure to collect one fact; the last good fact is kept and ages towards stale. */
export interface CollectionError {
  entityRef: string;
  factId?: string;
  message: string;
}

/** What a collector is given for one run. */
export interface CollectorContext {
  /** The entities to collect for (already filtered to those the collector can map). */
  entities: { ref: string; entity: Entity }[];
  /** Collector-specific settings from the config file or environment. */
  settings: Record<string, unknown>;
  /** Aborted when the job's lease is lost or the process shuts down. */
  signal: AbortSignal;
  log: { info(msg: string, extra?: object): void; warn(msg: string, extra?: object): void };
  /** A key-value cache that survives between runs (ETags and their bodies, cursors). */
  cache?: {
    get(key: string): Promise<unknown | undefined>;
    set(key: string, value: unknown): Promise<void>;
  };
}

export interface CollectorRun {
  facts: CollectedFact[];
  errors: CollectionError[];
}

/**
 * A collector: gathers raw facts for entities from one outside system.
 *
 * Adding a collector touches one folder and one line in `collectors/index.ts`.
 *
 * @example
 * ```ts
 * export const catalogCollector: Collector = {
 *   id: 'catalog', version: 1,
 *   factSchemas: { 'catalog.descriptor': { type: 'object', properties: { owner: { type: 'string' } } } },
 *   maxAgeSeconds: { 'catalog.descriptor': 86_400 },
 *   appliesTo: () => true,
 *   async collect(ctx) { return { facts: ctx.entities.map(…), errors: [] }; },
 * };
 * ```
 */
export interface Collector {
  /** Short id; every fact id it owns starts with `<id>.`. */
  id: string;
  /** Bumped when a fact's shape changes. */
  version: number;
  /** JSON Schema of each fact it produces, by fact id. Checks are validated against these. */
  factSchemas: Record<string, JsonSchema>;
  /** After this many seconds without a fresh collection a fact is stale. */
  maxAgeSeconds: Record<string, number>;
  /** How often the scheduler sweeps this collector (cron, UTC). Absent → push-only. */
  cadence?: string;
  /**
   * Whether the collector is set up (a token, a URL) with these settings. Absent → always.
   * The scheduler sweeps only enabled collectors, so an unconfigured one marks no fact as failed.
   */
  enabled?(settings: Record<string, unknown>): boolean;
  /** Whether this collector has anything to gather for the entity (e.g. has the annotation it needs). */
  appliesTo(entity: Entity): boolean;
  /** Gather facts. Push-only collectors (facts arrive via `facts push`) return nothing. */
  collect(ctx: CollectorContext): Promise<CollectorRun>;
}
