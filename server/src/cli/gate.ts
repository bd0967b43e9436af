/**
 * `yardstick gate`: ask a Yardstick server for a pull request's verdict from any CI (GitLab,
 * Jenkins, Buildkite…). Exit codes: 0 the gate passed, 1 it failed, 2 no verdict (bad input,
 * server unreachable, 5xx, timeout, request refused).
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { parseReports } from '../collectors/ci/parse-reports.js';
import { ReportError } from '../collectors/ci/report-error.js';
import { explainRefusal, requestGate } from '../gate/client.js';
import { renderJunit, renderMarkdown, renderText } from '../gate/render.js';
import type { GateRequest, GateResponse } from '../gate/types.js';
import { UsageError, type Command } from './command.js';

export type GateFormat = 'text' | 'json' | 'markdown' | 'junit';

export interface GateCliOptions {
  server: string;
  token?: string;
  request: GateRequest;
  reports: { lcov?: string; cobertura?: string; junit?: string };
  format: GateFormat;
  output?: string;
  timeoutMs: number;
}

export interface GateIo {
  out(text: string): void;
  err(line: string): void;
  fetch?: typeof fetch;
}

const FORMATS: readonly GateFormat[] = ['text', 'json', 'markdown', 'junit'];

/** Parse the command line; throws {@link UsageError} naming the bad option. */
export function parseGateArgs(args: string[]): GateCliOptions {
  const { values } = parseArgs({
    args,
    allowPositionals: false,
    options: {
      server: { type: 'string' },
      token: { type: 'string' },
      repo: { type: 'string' },
      sha: { type: 'string' },
      pr: { type: 'string' },
      base: { type: 'string' },
      lcov: { type: 'string' },
      cobertura: { type: 'string' },
      junit: { type: 'string' },
      entity: { type: 'string', multiple: true },
      track: { type: 'string', multiple: true },
      mode: { type: 'string' },
      format: { type: 'string', default: 'text' },
      output: { type: 'string' },
      timeout: { type: 'string', default: '10' },
    },
  });
  if (!values.server) throw new UsageError('--server URL is required (the Yardstick server to ask)');
  let url: URL;
  try {
    url = new URL(values.server);
  } catch {
    throw new UsageError(`--server: "${values.server}" is not a URL (expected e.g. https://yardstick.example.com)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError(`--server: "${values.server}" must start with https:// or http://`);
  if (!values.token) throw new UsageError('--token is required: a Yardstick API token with scope "ci" for the repository');
  if (!values.repo || !/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(values.repo)) throw new UsageError(`--repo must be owner/name, got "${values.repo ?? ''}"`);
  if (!values.sha || !/^[0-9a-fA-F]{7,64}$/.test(values.sha)) throw new UsageError(`--sha must be a commit hash (hex, 7 to 64 characters), got "${values.sha ?? ''}"`);
  if (values.pr !== undefined && !/^[1-9]\d{0,8}$/.test(values.pr)) throw new UsageError(`--pr must be a pull request number, got "${values.pr}"`);
  if (values.mode !== undefined && values.mode !== 'strict' && values.mode !== 'ratchet') throw new UsageError(`--mode must be strict or ratchet, got "${values.mode}"`);
  if (!FORMATS.includes(values.format as GateFormat)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, got "${values.format}"`);
  const timeout = Number(values.timeout);
  if (!Number.isFinite(timeout) || timeout <= 0 || timeout > 600) throw new UsageError(`--timeout must be seconds between 0 and 600, got "${values.timeout}"`);
  if (values.lcov && values.cobertura) throw new UsageError('give one coverage report: --lcov or --cobertura, not both');
  const request: GateRequest = {
    repo: values.repo,
    sha: values.sha.toLowerCase(),
    ...(values.pr ? { pullRequest: Number(values.pr) } : {}),
    ...(values.base ? { baseRef: values.base } : {}),
    ...(values.entity?.length ? { entities: values.entity } : {}),
    ...(values.track?.length ? { tracks: values.track } : {}),
    ...(values.mode ? { mode: values.mode as 'strict' | 'ratchet' } : {}),
  };
  return {
    server: values.server,
    token: values.token,
    request,
    reports: { lcov: values.lcov, cobertura: values.cobertura, junit: values.junit },
    format: values.format as GateFormat,
    output: values.output,
    timeoutMs: Math.round(timeout * 1000),
  };
}

export function renderGate(response: GateResponse, format: GateFormat): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(response, null, 2)}\n`;
    case 'markdown':
      return renderMarkdown(response);
    case 'junit':
      return renderJunit(response);
    default:
      return renderText(response);
  }
}

/** Run with parsed options; returns the exit code. */
export async function runGateCli(options: GateCliOptions, io: GateIo): Promise<number> {
  const request: GateRequest = { ...options.request, facts: [] };
  const { lcov, cobertura, junit } = options.reports;
  if (lcov || cobertura || junit) {
    try {
      const { facts } = await parseReports(options.reports);
      const only = options.request.entities?.length === 1 ? options.request.entities[0] : undefined;
      request.facts = facts.map((f) => ({ ...(only ? { entityRef: only } : {}), id: f.id, data: f.data }));
    } catch (err) {
      if (err instanceof ReportError) {
        io.err(`yardstick gate: cannot use a report: ${err.message}`);
        return 2;
      }
      throw err;
    }
  }
  const result = await requestGate({ serverUrl: options.server, token: options.token, timeoutMs: options.timeoutMs, fetch: io.fetch, userAgent: 'yardstick-cli' }, request);
  if (result.kind === 'unavailable') {
    io.err(`yardstick gate: no verdict: ${result.message}`);
    return 2;
  }
  if (result.kind === 'refused') {
    io.err(`yardstick gate: ${explainRefusal(result)}`);
    return 2;
  }
  const rendered = renderGate(result.response, options.format);
  if (options.output) {
    try {
      await writeFile(options.output, rendered);
    } catch (err) {
      io.err(`yardstick gate: cannot write ${options.output}: ${(err as Error).message}`);
      return 2;
    }
    io.err(`${result.response.passed ? 'PASS' : 'FAIL'}: ${renderText(result.response).split('\n')[0]} (${options.format} written to ${options.output})`);
  } else {
    io.out(rendered);
  }
  return result.response.passed ? 0 : 1;
}

export const gateCommand: Command = {
  name: 'gate',
  summary: 'Ask a Yardstick server whether a pull request keeps the bar (exit 0 pass, 1 fail, 2 no verdict)',
  usage:
    '--server URL --token T --repo owner/name --sha S [--pr N] [--base main] [--lcov F | --cobertura F] [--junit F] ' +
    '[--entity REF]... [--track ID]... [--mode strict|ratchet] [--format text|json|markdown|junit] [--output FILE] [--timeout SECONDS]',
  async run(args) {
    const io: GateIo = { out: (t) => process.stdout.write(t), err: (l) => process.stderr.write(`${l}\n`) };
    let options: GateCliOptions;
    try {
      options = parseGateArgs(args);
    } catch (err) {
      io.err(`yardstick gate: ${(err as Error).message}`);
      return 2;
    }
    return runGateCli(options, io);
  },
};
