/**
 * Every error the server can raise, in one table: a stable code, a message and its HTTP status.
 * Routes throw these; the error handler reads `statusCode` and `code` — no instanceof ladders.
 * `docs/errors.md` lists every code (a test keeps the two in step).
 */
import createError from '@fastify/error';

export const errors = {
  YS_ERR_CONFIG_INVALID: createError('YS_ERR_CONFIG_INVALID', 'Invalid configuration: %s', 500),
  YS_ERR_DEFINITIONS_INVALID: createError('YS_ERR_DEFINITIONS_INVALID', 'Invalid checks or tracks: %s', 422),
  YS_ERR_CATALOG_INVALID: createError('YS_ERR_CATALOG_INVALID', 'Invalid catalog: %s', 422),
  YS_ERR_ENTITY_REF_INVALID: createError('YS_ERR_ENTITY_REF_INVALID', 'Malformed entity reference: %s', 400),
  YS_ERR_ENTITY_NOT_FOUND: createError('YS_ERR_ENTITY_NOT_FOUND', 'Unknown entity: %s', 404),
  YS_ERR_FACT_INVALID: createError('YS_ERR_FACT_INVALID', 'Invalid fact: %s', 422),
  YS_ERR_FACT_UNKNOWN: createError('YS_ERR_FACT_UNKNOWN', 'Unknown fact id: %s', 422),
  YS_ERR_GATE_NO_ENTITIES: createError('YS_ERR_GATE_NO_ENTITIES', 'Nothing to gate: %s', 404),
  YS_ERR_GATE_ENTITY_NOT_IN_REPO: createError('YS_ERR_GATE_ENTITY_NOT_IN_REPO', 'Entity not in this repository: %s', 422),
  YS_ERR_GATE_TRACK_UNKNOWN: createError('YS_ERR_GATE_TRACK_UNKNOWN', 'Unknown track: %s', 422),
  YS_ERR_STORE_UNAVAILABLE: createError('YS_ERR_STORE_UNAVAILABLE', 'Database unavailable: %s', 503),
  // HTTP API
  YS_ERR_REQUEST_INVALID: createError('YS_ERR_REQUEST_INVALID', 'Invalid request: %s', 400),
  YS_ERR_AUTH_REQUIRED: createError('YS_ERR_AUTH_REQUIRED', 'Authentication required: %s', 401),
  YS_ERR_AUTH_INVALID: createError('YS_ERR_AUTH_INVALID', 'Invalid or revoked token', 401),
  YS_ERR_WEBHOOK_SIGNATURE: createError('YS_ERR_WEBHOOK_SIGNATURE', 'Webhook rejected: %s', 401),
  YS_ERR_WEBHOOK_INVALID: createError('YS_ERR_WEBHOOK_INVALID', 'Webhook delivery unreadable: %s', 400),
  YS_ERR_FORBIDDEN: createError('YS_ERR_FORBIDDEN', 'Not allowed: %s', 403),
  YS_ERR_ROUTE_NOT_FOUND: createError('YS_ERR_ROUTE_NOT_FOUND', 'No such endpoint: %s', 404),
  YS_ERR_TEAM_NOT_FOUND: createError('YS_ERR_TEAM_NOT_FOUND', 'Unknown team: %s', 404),
  YS_ERR_CHECK_NOT_FOUND: createError('YS_ERR_CHECK_NOT_FOUND', 'Unknown check: %s', 404),
  YS_ERR_TRACK_NOT_FOUND: createError('YS_ERR_TRACK_NOT_FOUND', 'Unknown track: %s', 404),
  YS_ERR_EXEMPTION_NOT_FOUND: createError('YS_ERR_EXEMPTION_NOT_FOUND', 'Unknown or already revoked exemption: %s', 404),
  YS_ERR_EXEMPTION_INVALID: createError('YS_ERR_EXEMPTION_INVALID', 'Invalid exemption: %s', 422),
  YS_ERR_BODY_TOO_LARGE: createError('YS_ERR_BODY_TOO_LARGE', 'Request body larger than %s bytes', 413),
  YS_ERR_MEDIA_TYPE_UNSUPPORTED: createError('YS_ERR_MEDIA_TYPE_UNSUPPORTED', 'Unsupported content type: %s', 415),
  YS_ERR_RATE_LIMITED: createError('YS_ERR_RATE_LIMITED', 'Too many requests; retry in %s', 429),
  YS_ERR_NOT_READY: createError('YS_ERR_NOT_READY', 'Not ready: %s', 503),
  YS_ERR_INTERNAL: createError('YS_ERR_INTERNAL', 'Internal error (see the server log, request id %s)', 500),
} as const;

export type ErrorCode = keyof typeof errors;
