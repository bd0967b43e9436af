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
} as const;

export type ErrorCode = keyof typeof errors;
