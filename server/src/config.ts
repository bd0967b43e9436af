/**
 * Configuration, read once at start from the environment (and CLI flags), validated against a
 * schema, then frozen. Nothing else in the server reads `process.env`.
 */
import { Ajv } from 'ajv';
import { errors } from './errors.js';

export interface Config {
  /** PostgreSQL URL; absent → embedded PGlite in `dataDir`. */
  databaseUrl?: string;
  dataDir: string;
  /** Catalog files or folders (catalog-info.yaml, Location entities followed). */
  catalogPaths: string[];
  /** Optional running Backstage catalog to read entities from. */
  backstageUrl?: string;
  backstageToken?: string;
  /** Hosts that catalog `url` Location targets and the Backstage URL may point at. */
  allowedHosts: string[];
  checksDir: string;
  tracksDir: string;
  /** Fact files pushed at start (the example organisation's non-catalog facts). */
  seedFactFiles: string[];
  host: string;
  port: number;
  /** Public base URL used in links (verdicts, badges). */
  publicUrl: string;
  /** Serve reads without a token. Off by default. */
  publicReads: boolean;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  bodyLimitBytes: number;
  rateLimitPerMinute: number;
  corsOrigins: string[];
  /** Built dashboard served at `/` when it holds an index.html. */
  webDir: string;
  /** Trust X-Forwarded-* headers (behind a reverse proxy): client IPs for rate limits and logs. */
  trustProxy: boolean;
  /** Days of fact/result history kept. */
  historyRetentionDays: number;
  github: {
    apiUrl: string;
    token?: string;
    appId?: string;
    privateKey?: string;
    installationId?: string;
    webhookSecret?: string;
  };
  pagerduty: { apiUrl: string; token?: string };
  prometheus: { url?: string };
  /** Run the collection scheduler inside `serve`. */
  scheduler: boolean;
  workerConcurrency: number;
}

export type ConfigOverrides = Partial<Omit<Config, 'github' | 'pagerduty' | 'prometheus'>> & {
  github?: Partial<Config['github']>;
  pagerduty?: Partial<Config['pagerduty']>;
  prometheus?: Partial<Config['prometheus']>;
};

const schema = {
  type: 'object',
  required: ['dataDir', 'catalogPaths', 'checksDir', 'tracksDir', 'host', 'port', 'publicUrl', 'logLevel'],
  properties: {
    databaseUrl: { type: 'string', pattern: '^postgres(ql)?://' },
    dataDir: { type: 'string', minLength: 1 },
    catalogPaths: { type: 'array', items: { type: 'string', minLength: 1 } },
    backstageUrl: { type: 'string', pattern: '^https?://' },
    backstageToken: { type: 'string' },
    allowedHosts: { type: 'array', items: { type: 'string' } },
    checksDir: { type: 'string', minLength: 1 },
    tracksDir: { type: 'string', minLength: 1 },
    seedFactFiles: { type: 'array', items: { type: 'string' } },
    host: { type: 'string', minLength: 1 },
    port: { type: 'integer', minimum: 0, maximum: 65535 },
    publicUrl: { type: 'string', pattern: '^https?://' },
    publicReads: { type: 'boolean' },
    logLevel: { enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] },
    bodyLimitBytes: { type: 'integer', minimum: 1024 },
    rateLimitPerMinute: { type: 'integer', minimum: 1 },
    corsOrigins: { type: 'array', items: { type: 'string' } },
    webDir: { type: 'string', minLength: 1 },
    trustProxy: { type: 'boolean' },
    historyRetentionDays: { type: 'integer', minimum: 1 },
    github: { type: 'object', required: ['apiUrl'], properties: { apiUrl: { type: 'string', pattern: '^https?://' } } },
    pagerduty: { type: 'object', required: ['apiUrl'], properties: { apiUrl: { type: 'string', pattern: '^https?://' } } },
    prometheus: { type: 'object', properties: { url: { type: 'string', pattern: '^https?://' } } },
    scheduler: { type: 'boolean' },
    workerConcurrency: { type: 'integer', minimum: 1, maximum: 256 },
  },
} as const;

const list = (v: string | undefined) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : undefined);
const bool = (v: string | undefined) => (v === undefined ? undefined : ['1', 'true', 'yes', 'on'].includes(v.toLowerCase()));
const int = (name: string, v: string | undefined) => {
  if (v === undefined || v === '') return undefined;
  if (!/^\d+$/.test(v)) throw new errors.YS_ERR_CONFIG_INVALID(`${name} must be a whole number, got "${v}"`);
  return Number(v);
};

/** Build, validate and freeze the configuration. Throws YS_ERR_CONFIG_INVALID naming the field. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: ConfigOverrides = {}): Readonly<Config> {
  const port = overrides.port ?? int('PORT', env.PORT) ?? 3000;
  const host = overrides.host ?? env.HOST ?? '127.0.0.1';
  const fromEnv: Config = {
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: env.YARDSTICK_DATA_DIR ?? '.yardstick/data',
    catalogPaths: list(env.YARDSTICK_CATALOG) ?? ['examples/catalog/catalog-info.yaml'],
    backstageUrl: env.YARDSTICK_BACKSTAGE_URL || undefined,
    backstageToken: env.YARDSTICK_BACKSTAGE_TOKEN || undefined,
    allowedHosts: list(env.YARDSTICK_ALLOWED_HOSTS) ?? [],
    checksDir: env.YARDSTICK_CHECKS_DIR ?? 'checks',
    tracksDir: env.YARDSTICK_TRACKS_DIR ?? 'tracks',
    seedFactFiles: list(env.YARDSTICK_SEED_FACTS) ?? [],
    host,
    port,
    publicUrl: env.YARDSTICK_PUBLIC_URL ?? `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    publicReads: bool(env.YARDSTICK_PUBLIC_READS) ?? false,
    logLevel: (env.YARDSTICK_LOG_LEVEL as Config['logLevel']) ?? 'info',
    bodyLimitBytes: int('YARDSTICK_BODY_LIMIT', env.YARDSTICK_BODY_LIMIT) ?? 5 * 1024 * 1024,
    rateLimitPerMinute: int('YARDSTICK_RATE_LIMIT', env.YARDSTICK_RATE_LIMIT) ?? 1200,
    corsOrigins: list(env.YARDSTICK_CORS_ORIGINS) ?? [],
    webDir: env.YARDSTICK_WEB_DIR ?? 'web/dist',
    trustProxy: bool(env.YARDSTICK_TRUST_PROXY) ?? false,
    historyRetentionDays: int('YARDSTICK_HISTORY_DAYS', env.YARDSTICK_HISTORY_DAYS) ?? 400,
    github: {
      apiUrl: env.GITHUB_API_URL ?? 'https://api.github.com',
      token: env.GITHUB_TOKEN || undefined,
      appId: env.GITHUB_APP_ID || undefined,
      privateKey: env.GITHUB_APP_PRIVATE_KEY || undefined,
      installationId: env.GITHUB_APP_INSTALLATION_ID || undefined,
      webhookSecret: env.GITHUB_WEBHOOK_SECRET || undefined,
    },
    pagerduty: { apiUrl: env.PAGERDUTY_API_URL ?? 'https://api.pagerduty.com', token: env.PAGERDUTY_TOKEN || undefined },
    prometheus: { url: env.PROMETHEUS_URL || undefined },
    scheduler: bool(env.YARDSTICK_SCHEDULER) ?? true,
    workerConcurrency: int('YARDSTICK_WORKER_CONCURRENCY', env.YARDSTICK_WORKER_CONCURRENCY) ?? 8,
  };
  const merged: Config = {
    ...fromEnv,
    ...stripUndefined(overrides),
    github: { ...fromEnv.github, ...stripUndefined(overrides.github ?? {}) },
    pagerduty: { ...fromEnv.pagerduty, ...stripUndefined(overrides.pagerduty ?? {}) },
    prometheus: { ...fromEnv.prometheus, ...stripUndefined(overrides.prometheus ?? {}) },
  } as Config;
  const ajv = new Ajv({ allErrors: true });
  if (!ajv.validate(schema, merged)) {
    const detail = (ajv.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ');
    throw new errors.YS_ERR_CONFIG_INVALID(detail);
  }
  return deepFreeze(merged);
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function deepFreeze<T>(o: T): Readonly<T> {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}
