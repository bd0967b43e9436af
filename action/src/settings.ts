/** The action's inputs, parsed once into typed settings with errors that name the input. */
import * as core from '@actions/core';

export const INPUTS = {
  serverUrl: 'server-url',
  token: 'token',
  entity: 'entity',
  tracks: 'tracks',
  mode: 'mode',
  lcov: 'lcov',
  cobertura: 'cobertura',
  junit: 'junit',
  onServerError: 'on-server-error',
  timeoutSeconds: 'timeout-seconds',
  standardsPath: 'standards-path',
} as const;

export const OUTPUTS = { verdict: 'verdict', levels: 'levels', reportUrl: 'report-url' } as const;

export interface Settings {
  /** Absent → standalone mode. */
  serverUrl?: string;
  token?: string;
  entities: string[];
  tracks: string[];
  mode?: 'strict' | 'ratchet';
  reports: { lcov?: string; cobertura?: string; junit?: string };
  onServerError: 'fail' | 'pass';
  timeoutMs: number;
  standardsPath?: string;
}

/** Bad input: the message names the input and says what is expected. */
export class InputError extends Error {}

const list = (v: string) => v.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);

export function parseSettings(get: (name: string) => string = (n) => core.getInput(n)): Settings {
  const serverUrl = get(INPUTS.serverUrl).trim();
  if (serverUrl) {
    let url: URL;
    try {
      url = new URL(serverUrl);
    } catch {
      throw new InputError(`Invalid server-url: "${serverUrl}" is not a URL (expected e.g. https://yardstick.example.com)`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new InputError(`Invalid server-url: "${serverUrl}" must start with https:// or http://`);
    if (url.username || url.password) throw new InputError('Invalid server-url: put credentials in the token input, not in the URL');
  }
  const token = get(INPUTS.token).trim();
  if (serverUrl && !token) {
    throw new InputError('Missing token: server mode needs a Yardstick API token with scope "ci". Store it as a secret and pass `token: ${{ secrets.YARDSTICK_TOKEN }}`.');
  }
  if (token) core.setSecret(token);
  const mode = get(INPUTS.mode).trim().toLowerCase();
  if (mode && mode !== 'strict' && mode !== 'ratchet') throw new InputError(`Invalid mode: "${mode}" (expected strict or ratchet, or leave empty for each track's own)`);
  const onServerError = (get(INPUTS.onServerError).trim().toLowerCase() || 'fail');
  if (onServerError !== 'fail' && onServerError !== 'pass') throw new InputError(`Invalid on-server-error: "${onServerError}" (expected fail or pass)`);
  const timeoutText = get(INPUTS.timeoutSeconds).trim() || '10';
  const timeout = Number(timeoutText);
  if (!Number.isFinite(timeout) || timeout <= 0 || timeout > 600) throw new InputError(`Invalid timeout-seconds: "${timeoutText}" (expected a number of seconds between 0 and 600)`);
  const lcov = get(INPUTS.lcov).trim() || undefined;
  const cobertura = get(INPUTS.cobertura).trim() || undefined;
  if (lcov && cobertura) throw new InputError('Invalid lcov/cobertura: give one coverage report, not both');
  return {
    serverUrl: serverUrl || undefined,
    token: token || undefined,
    entities: list(get(INPUTS.entity)),
    tracks: list(get(INPUTS.tracks)),
    mode: (mode || undefined) as Settings['mode'],
    reports: { lcov, cobertura, junit: get(INPUTS.junit).trim() || undefined },
    onServerError,
    timeoutMs: Math.round(timeout * 1000),
    standardsPath: get(INPUTS.standardsPath).trim() || undefined,
  };
}
