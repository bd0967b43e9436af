/**
 * Build the HTTP application: API under `/api/v1`, OpenAPI at `/api/v1/openapi.json`, Swagger UI
 * at `/docs`, the dashboard at `/`. No port is opened here (tests call `app.inject()`);
 * `server.ts` runs it.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fastifyCors from '@fastify/cors';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { pino, type DestinationStream, type Logger } from 'pino';
import { installAuth, tokenId } from './auth/index.js';
import type { Config } from './config.js';
import { errors } from './errors.js';
import { installBodyGuard } from './routes/body-guard.js';
import { apiRoutes, rootRoutes } from './routes/index.js';
import { errorBody } from './routes/schemas.js';
import type { Runtime } from './scoring/index.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The running Yardstick: config, store, definitions. */
    runtime: Runtime & { refreshEntity?: (ref: string) => Promise<unknown> };
    /** The time routes use (tests move it). */
    now: () => Date;
  }
}

export const API_PREFIX = '/api/v1';

export interface BuildAppOptions {
  runtime: Runtime;
  /** A pino logger; default: one at `config.logLevel` writing JSON to stdout, with secrets redacted. */
  logger?: Logger;
  /** Clock for routes (exemption expiry, ages); default `() => new Date()`. */
  now?: () => Date;
}

/** Log paths that may carry a secret: never written, whatever the level. */
export const REDACT_PATHS = [
  'req.headers.authorization', 'req.headers.cookie', 'req.headers["x-hub-signature-256"]',
  'headers.authorization', 'headers.cookie', '*.headers.authorization', 'res.headers["set-cookie"]', 'authorization', '*.authorization',
  'token', '*.token', 'secret', '*.secret', 'password', '*.password', 'privateKey', '*.privateKey',
  'webhookSecret', '*.webhookSecret', 'backstageToken', '*.backstageToken', 'databaseUrl', '*.databaseUrl',
  'config.github.token', 'config.github.privateKey', 'config.github.webhookSecret', 'config.backstageToken',
  'config.pagerduty.token', 'config.databaseUrl',
];

/** A Yardstick API token anywhere in a log line: the id may stay, the secret part may not. */
const API_TOKEN = /\b(ys_[0-9a-f]{12}_)[A-Za-z0-9_-]{43}\b/g;

/**
 * The secret values of a configuration (tokens, keys, the database password), so a log line
 * that carries one in a message or an error text — where no redaction path reaches — is
 * scrubbed too. Values shorter than 8 characters are left alone (they would mask ordinary words).
 */
export function configSecrets(config: Partial<Config>): string[] {
  const values = [config.github?.token, config.github?.privateKey, config.github?.webhookSecret, config.pagerduty?.token, config.backstageToken];
  if (config.databaseUrl) {
    try {
      const password = new URL(config.databaseUrl).password;
      if (password) values.push(password, decodeURIComponent(password));
    } catch {
      // Not a URL: config validation refuses it before any logging happens.
    }
  }
  // A PEM key may surface line by line (e.g. in an error quoting part of it).
  const lines = (config.github?.privateKey ?? '').split(/\\n|\n/).filter((l) => !l.startsWith('-----'));
  return [...new Set([...values, ...lines].filter((v): v is string => typeof v === 'string' && v.length >= 8))].sort((a, b) => b.length - a.length);
}

/** A destination that writes each log line with every secret value and API token secret replaced. */
function scrubbing(destination: DestinationStream, secrets: string[]): DestinationStream {
  const escaped = secrets.flatMap((v) => [v, JSON.stringify(v).slice(1, -1)]);
  return {
    write(line: string) {
      let out = line.replace(API_TOKEN, '$1[redacted]');
      for (const v of escaped) if (out.includes(v)) out = out.split(v).join('[redacted]');
      destination.write(out);
    },
  };
}

/**
 * The server's logger: JSON lines, secrets redacted by path (see REDACT_PATHS) and, when the
 * config is given, by value wherever they appear (see {@link configSecrets}); API tokens are
 * always cut to their id.
 */
export function createLogger(config: Pick<Config, 'logLevel'> & Partial<Config>, destination?: DestinationStream): Logger {
  return pino({
    level: config.logLevel,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: {
      req: (req: FastifyRequest) => ({
        method: req.method,
        url: req.url.replace(/([?&](?:token|access_token)=)[^&]*/gi, '$1[redacted]'),
        remoteAddress: req.ip,
        headers: { ...req.headers },
      }),
    },
  }, scrubbing(destination ?? pino.destination(1), configSecrets(config)));
}

/** Fastify error codes we answer with our own table, so every error body carries a `YS_ERR_` code. */
const FASTIFY_ERRORS: Record<string, (err: FastifyError, bodyLimit: number) => FastifyError> = {
  FST_ERR_CTP_BODY_TOO_LARGE: (_e, limit) => new errors.YS_ERR_BODY_TOO_LARGE(String(limit)),
  FST_ERR_CTP_INVALID_JSON_BODY: (e) => new errors.YS_ERR_REQUEST_INVALID(`body is not valid JSON (${e.message})`),
  FST_ERR_CTP_EMPTY_JSON_BODY: () => new errors.YS_ERR_REQUEST_INVALID('body is empty but Content-Type is application/json'),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: (e) => new errors.YS_ERR_MEDIA_TYPE_UNSUPPORTED(e.message),
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () => new errors.YS_ERR_REQUEST_INVALID('Content-Length does not match the body'),
  FST_ERR_CTP_INVALID_TYPE: (e) => new errors.YS_ERR_MEDIA_TYPE_UNSUPPORTED(e.message),
};

const STORE_DOWN_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EPIPE', '57P01', '57P02', '57P03', '53300']);
const STORE_DOWN_MESSAGE = /Connection terminated|connection (?:is )?closed|PGlite is closed|Client has encountered a connection error|timeout exceeded when trying to connect|driver has already been destroyed/i;

/** Whether an error means the database could not be reached (→ 503), not that a query was wrong. */
export function isStoreDown(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const e = err as { code?: unknown; message?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  return STORE_DOWN_CODES.has(code) || code.startsWith('08') || (typeof e.message === 'string' && STORE_DOWN_MESSAGE.test(e.message));
}

interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/** Turn any error into `{ error: { code, message, details? } }` and a status; never a stack trace. */
export function toErrorBody(err: FastifyError & { details?: unknown; problems?: unknown }, requestId: string, bodyLimit: number): { status: number; body: ErrorBody } {
  if (err.validation) {
    const details = err.validation.map((v) => ({
      path: `${err.validationContext ?? 'body'}${v.instancePath || ''}`,
      message: v.message ?? 'invalid',
      ...(v.params && Object.keys(v.params).length ? { params: v.params } : {}),
    }));
    const first = details[0];
    return { status: 400, body: { error: { code: 'YS_ERR_REQUEST_INVALID', message: `Invalid request: ${first ? `${first.path} ${first.message}` : err.message}`, details } } };
  }
  const mapped = err.code && FASTIFY_ERRORS[err.code] ? FASTIFY_ERRORS[err.code](err, bodyLimit) : undefined;
  const e: FastifyError & { details?: unknown; problems?: unknown } = mapped ?? err;
  if (typeof e.code === 'string' && e.code.startsWith('YS_ERR_') && typeof e.statusCode === 'number') {
    const details = e.details ?? e.problems;
    return { status: e.statusCode, body: { error: { code: e.code, message: e.message, ...(details !== undefined ? { details } : {}) } } };
  }
  if (isStoreDown(err)) {
    const down = new errors.YS_ERR_STORE_UNAVAILABLE('try again shortly');
    return { status: 503, body: { error: { code: down.code, message: down.message } } };
  }
  const status = typeof err.statusCode === 'number' ? err.statusCode : 500;
  if (status === 404) return { status, body: { error: { code: 'YS_ERR_ROUTE_NOT_FOUND', message: err.message } } };
  if (status === 429) return { status, body: { error: { code: 'YS_ERR_RATE_LIMITED', message: err.message } } };
  if (status >= 400 && status < 500) return { status, body: { error: { code: 'YS_ERR_REQUEST_INVALID', message: `Invalid request: ${err.message}` } } };
  const internal = new errors.YS_ERR_INTERNAL(requestId);
  return { status: 500, body: { error: { code: internal.code, message: internal.message } } };
}

/** A small page shown at `/` when the dashboard is not built. */
const NO_DASHBOARD_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Yardstick</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#222}code{background:#f2f2f2;padding:.1rem .3rem}</style>
</head><body><h1>Yardstick</h1>
<p>The API is running. The dashboard is not built yet: run <code>npm run build</code> (it writes <code>web/dist</code>) and restart the server.</p>
<p>API documentation: <a href="/docs">/docs</a> · OpenAPI: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a></p>
</body></html>`;

/**
 * Build the Fastify application for a runtime.
 *
 * @example
 * ```ts
 * const app = await buildApp({ runtime });
 * const res = await app.inject({ url: '/api/v1/entities', headers: { authorization: `Bearer ${token}` } });
 * ```
 */
export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const { runtime } = options;
  const config = runtime.config;
  const logger = options.logger ?? createLogger(config);
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger,
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    // Scalars are coerced (query strings carry numbers as text); arrays never are: ["x"] is not "x".
    ajv: { customOptions: { removeAdditional: false, coerceTypes: true, useDefaults: true, allErrors: false } },
  });
  app.decorate('runtime', runtime as FastifyInstance['runtime']);
  app.decorate('now', options.now ?? (() => new Date()));

  app.setErrorHandler((err: FastifyError, request, reply) => {
    const { status, body } = toErrorBody(err, request.id, config.bodyLimitBytes);
    if (status >= 500) request.log.error({ err }, 'request failed');
    else request.log.info({ code: body.error.code, status }, 'request refused');
    return reply.status(status).type('application/json; charset=utf-8').send(body);
  });

  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // Charts and the dashboard set style attributes; no inline scripts are allowed.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    // Badges are embedded by other sites (READMEs).
    crossOriginResourcePolicy: { policy: 'cross-origin' },
  });

  if (config.corsOrigins.length > 0) {
    await app.register(fastifyCors, {
      origin: config.corsOrigins,
      methods: ['GET', 'POST', 'DELETE'],
      allowedHeaders: ['Authorization', 'Content-Type'],
      maxAge: 600,
    });
  }

  await app.register(fastifyRateLimit, {
    global: true,
    max: config.rateLimitPerMinute,
    timeWindow: 60_000,
    // A token's requests share one budget wherever they come from; otherwise the client address.
    keyGenerator: (request) => {
      const auth = request.headers.authorization;
      const id = auth ? tokenId(auth.replace(/^Bearer\s+/i, '').trim()) : undefined;
      return id ? `token:${id}` : `ip:${request.ip}`;
    },
    errorResponseBuilder: (_request, context) => new errors.YS_ERR_RATE_LIMITED(context.after),
  });

  installAuth(app, { store: runtime.store, publicReads: config.publicReads });
  installBodyGuard(app);

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Yardstick API',
        version: '1',
        description: 'Scorecards, teams, checks, tracks, facts, exemptions, previews and badges. Send `Authorization: Bearer <token>`; see docs/api.md.',
      },
      servers: [{ url: config.publicUrl }],
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'A Yardstick token (ys_…)' } } },
      security: [{ bearerAuth: [] }],
    },
  });

  app.addSchema(errorBody);
  for (const plugin of rootRoutes) await app.register(plugin);
  for (const plugin of apiRoutes) await app.register(plugin, { prefix: API_PREFIX });

  app.get(`${API_PREFIX}/openapi.json`, { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());

  await app.register(fastifySwaggerUi, {
    routePrefix: '/docs',
    staticCSP: true,
    // swagger-ui's own policy, minus upgrade-insecure-requests (which breaks plain-HTTP installs).
    transformStaticCSP: (header) => header.replace(/\s*upgrade-insecure-requests;?/, ''),
    uiConfig: { persistAuthorization: false },
  });

  await registerDashboard(app, config.webDir);
  return app;
}

async function registerDashboard(app: FastifyInstance, webDir: string): Promise<void> {
  const root = resolve(webDir);
  const built = existsSync(join(root, 'index.html'));
  if (built) {
    await app.register(fastifyStatic, {
      root,
      prefix: '/',
      wildcard: false,
      index: ['index.html'],
      // Hashed assets never change; index.html must be re-read so a deploy takes effect.
      setHeaders: (reply, path) => {
        reply.header('cache-control', /[\\/]assets[\\/]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  } else {
    app.get('/', { schema: { hide: true } }, async (_request, reply) => reply.type('text/html; charset=utf-8').send(NO_DASHBOARD_PAGE));
  }

  app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0];
    const isApi = path === '/api' || path.startsWith('/api/');
    // The dashboard routes in the browser: any other page GET gets index.html.
    if (built && !isApi && (request.method === 'GET' || request.method === 'HEAD') && !/\.[a-z0-9]{1,8}$/i.test(path)) {
      return reply.header('cache-control', 'no-cache').sendFile('index.html');
    }
    const err = new errors.YS_ERR_ROUTE_NOT_FOUND(`${request.method} ${path}`);
    return reply.status(404).send({ error: { code: err.code, message: err.message } });
  });
}
