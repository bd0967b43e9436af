/**
 * `yardstick report`: turn a CI run's coverage and test reports into `ci.coverage` / `ci.tests`
 * facts for one or more entities, stored locally or sent to a Yardstick server.
 */
import { parseArgs } from 'node:util';
import { toEntityRef } from '../catalog/index.js';
import { parseReports, ReportError, type ReportFact, type ReportFiles } from '../collectors/ci/index.js';
import { loadConfig } from '../config.js';
import { openStore, type Store } from '../store/index.js';
import { type Command, UsageError } from './command.js';

/** The `source` recorded on facts written by this command. */
export const REPORT_SOURCE = 'ci-report';

export interface ReportOptions {
  /** Entity refs (`component:default/payments-api`; a bare name means a Component in `default`). */
  entities: string[];
  /** `owner/name`: every entity whose `github.com/project-slug` names it. */
  repo?: string;
  sha?: string;
  pr?: number;
  files: ReportFiles;
  /** Base URL of a Yardstick server; absent → write to the local store. */
  server?: string;
  token?: string;
}

/** One fact as sent to `POST /api/v1/facts` (body `{ facts: ReportFactBody[] }`). */
export interface ReportFactBody {
  entityRef: string;
  id: string;
  data: unknown;
  scope: string;
}

export interface ReportIo {
  /** Store to write to without `--server` (opened from the config when absent, and closed after). */
  store?: Store;
  fetch?: typeof fetch;
  out(line: string): void;
  err(line: string): void;
}

/**
 * Scope of the facts: `''` is the default branch; a pull request's facts go under `pr:<n>`
 * (or `sha:<sha>` for a commit outside a pull request) so they never overwrite the default
 * branch's. With both `--pr` and `--sha`, `pr:<n>` wins: a pull request's latest run replaces
 * its previous one, and the commit is kept in the facts' `commit` field.
 */
export function reportScope(options: { sha?: string; pr?: number }): string {
  if (options.pr !== undefined) return `pr:${options.pr}`;
  if (options.sha) return `sha:${options.sha}`;
  return '';
}

/** Parse the command line; throws {@link UsageError} with a message a CI author can act on. */
export function parseReportArgs(args: string[]): ReportOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      options: {
        entity: { type: 'string', multiple: true },
        repo: { type: 'string' },
        sha: { type: 'string' },
        pr: { type: 'string' },
        lcov: { type: 'string' },
        cobertura: { type: 'string' },
        junit: { type: 'string' },
        server: { type: 'string' },
        token: { type: 'string' },
      },
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const entities = values.entity ?? [];
  if ((entities.length > 0) === Boolean(values.repo)) throw new UsageError('give either --entity REF (repeatable) or --repo owner/name');
  if (values.repo && !/^[\w.-]+\/[\w.-]+$/.test(values.repo)) throw new UsageError(`--repo must be owner/name, got "${values.repo}"`);
  if (values.sha !== undefined && !/^[0-9a-f]{7,64}$/i.test(values.sha)) throw new UsageError(`--sha must be a commit hash, got "${values.sha}"`);
  if (values.pr !== undefined && !/^[1-9]\d{0,9}$/.test(values.pr)) throw new UsageError(`--pr must be a pull request number, got "${values.pr}"`);
  if (!values.lcov && !values.cobertura && !values.junit) throw new UsageError('give at least one report: --lcov FILE, --cobertura FILE or --junit FILE');
  if (values.lcov && values.cobertura) throw new UsageError('give one coverage report: --lcov or --cobertura, not both');
  if (values.server !== undefined && !/^https?:\/\/[^\s]+$/.test(values.server)) throw new UsageError(`--server must be an http(s) URL, got "${values.server}"`);
  if (values.token !== undefined && values.server === undefined) throw new UsageError('--token is only used with --server');
  for (const ref of entities) {
    try {
      toEntityRef(ref, { defaultKind: 'component' });
    } catch (err) {
      throw new UsageError(`--entity: ${(err as Error).message}`);
    }
  }
  return {
    entities: entities.map((ref) => toEntityRef(ref, { defaultKind: 'component' })),
    repo: values.repo,
    sha: values.sha?.toLowerCase(),
    pr: values.pr === undefined ? undefined : Number(values.pr),
    files: { lcov: values.lcov, cobertura: values.cobertura, junit: values.junit },
    server: values.server?.replace(/\/+$/, ''),
    token: values.token,
  };
}

/** The facts to record: every parsed report for every target entity, stamped with the commit. */
export function reportFacts(refs: string[], facts: ReportFact[], options: { sha?: string; pr?: number }): ReportFactBody[] {
  const scope = reportScope(options);
  return refs.flatMap((entityRef) =>
    facts.map((f) => ({ entityRef, id: f.id, data: options.sha ? { ...f.data, commit: options.sha } : { ...f.data }, scope })),
  );
}

/**
 * Run the command with parsed options. Returns the exit code: 0 stored, 2 bad input (a report
 * that cannot be read, an unknown repository) or the server refused the facts.
 */
export async function runReport(options: ReportOptions, io: ReportIo): Promise<number> {
  let parsed: ReportFact[];
  try {
    parsed = (await parseReports(options.files)).facts;
  } catch (err) {
    if (err instanceof ReportError) {
      io.err(`yardstick report: ${err.message}`);
      return 2;
    }
    throw err;
  }
  return options.server ? sendToServer(options, parsed, io) : writeToStore(options, parsed, io);
}

async function writeToStore(options: ReportOptions, parsed: ReportFact[], io: ReportIo): Promise<number> {
  let store = io.store;
  if (!store) {
    const config = loadConfig();
    store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  }
  try {
    let refs = options.entities;
    if (options.repo) {
      refs = (await store.entities.list({ githubSlug: options.repo })).map((e) => e.ref);
      if (refs.length === 0) {
        io.err(`yardstick report: no entity in the catalog has github.com/project-slug: ${options.repo} (sync the catalog first, or pass --entity)`);
        return 2;
      }
    }
    const facts = reportFacts(refs, parsed, options);
    const summary = await store.facts.write(facts.map((f) => ({ ...f, source: REPORT_SOURCE })));
    io.out(`Stored ${summary.written} facts (${summary.changed} changed) for ${refs.join(', ')}${scopeNote(options)}.`);
    return 0;
  } finally {
    if (!io.store) await store.close();
  }
}

async function sendToServer(options: ReportOptions, parsed: ReportFact[], io: ReportIo): Promise<number> {
  const doFetch = io.fetch ?? fetch;
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let refs = options.entities;
  try {
    if (options.repo) {
      // The server holds the catalog: page through GET /api/v1/entities and keep the repository's.
      const slug = options.repo.toLowerCase();
      refs = [];
      for (let offset = 0; ; ) {
        const res = await doFetch(`${options.server}/api/v1/entities?limit=${ENTITY_PAGE}&offset=${offset}`, { headers, signal: AbortSignal.timeout(30_000) });
        if (!res.ok) return refused(io, res, `resolving --repo ${options.repo}`);
        const page = (await res.json()) as EntityPage;
        const items = Array.isArray(page.items) ? page.items : [];
        refs.push(...items.filter((e) => typeof e.githubSlug === 'string' && e.githubSlug.toLowerCase() === slug).map((e) => e.ref));
        offset += items.length;
        if (items.length === 0 || offset >= (page.total ?? 0)) break;
      }
      if (refs.length === 0) {
        io.err(`yardstick report: the server knows no entity with github.com/project-slug: ${options.repo}`);
        return 2;
      }
    }
    const body = { facts: reportFacts(refs, parsed, options) };
    const res = await doFetch(`${options.server}/api/v1/facts`, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(60_000),
    });
    if (!res.ok) return refused(io, res, 'sending facts');
    io.out(`Sent ${body.facts.length} facts for ${refs.join(', ')}${scopeNote(options)} to ${options.server}.`);
    return 0;
  } catch (err) {
    io.err(`yardstick report: cannot reach ${options.server}: ${(err as Error).message}`);
    return 2;
  }
}

/** One page of `GET /api/v1/entities` (only the fields used here). */
interface EntityPage {
  total?: number;
  items?: { ref: string; githubSlug?: string | null }[];
}

const ENTITY_PAGE = 500;

async function refused(io: ReportIo, res: Response, doing: string): Promise<number> {
  const text = await res.text().catch(() => '');
  let message = text.slice(0, 500);
  try {
    const json = JSON.parse(text) as { message?: string; code?: string };
    if (json.message) message = json.code ? `${json.code}: ${json.message}` : json.message;
  } catch {
    // not JSON: show the text as it is
  }
  io.err(`yardstick report: the server answered ${res.status} ${res.statusText} ${doing}${message ? `: ${message}` : ''}`);
  return 2;
}

function scopeNote(options: { sha?: string; pr?: number }): string {
  const scope = reportScope(options);
  return scope ? ` (scope ${scope})` : ' (default branch)';
}

export const reportCommand: Command = {
  name: 'report',
  summary: 'Turn CI coverage (lcov, Cobertura) and test (JUnit) reports into facts, stored locally or sent to a server',
  usage: '--entity REF | --repo owner/name [--sha S] [--pr N] [--lcov F | --cobertura F] [--junit F] [--server URL --token T]',
  async run(args) {
    let options: ReportOptions;
    try {
      options = parseReportArgs(args);
    } catch (err) {
      if (!(err instanceof UsageError)) throw err;
      process.stderr.write(`yardstick report: ${err.message}\n`);
      return 2;
    }
    return runReport(options, {
      out: (line) => process.stdout.write(`${line}\n`),
      err: (line) => process.stderr.write(`${line}\n`),
    });
  },
};
