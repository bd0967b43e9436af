import type { JsonSchema } from '../collector.js';

/** Coverage of one test run, in percent (0–100). Absent figures are null. */
export const coverageSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['line'],
  properties: {
    line: { type: ['number', 'null'], minimum: 0, maximum: 100 },
    branch: { type: ['number', 'null'], minimum: 0, maximum: 100 },
    function: { type: ['number', 'null'], minimum: 0, maximum: 100 },
    linesFound: { type: 'integer', minimum: 0 },
    linesHit: { type: 'integer', minimum: 0 },
    format: { enum: ['lcov', 'cobertura', 'other'] },
    commit: { type: 'string' },
  },
};

/** Totals of one test run. */
export const testsSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['total', 'failed'],
  properties: {
    total: { type: 'integer', minimum: 0 },
    failed: { type: 'integer', minimum: 0 },
    errors: { type: 'integer', minimum: 0 },
    skipped: { type: 'integer', minimum: 0 },
    durationSeconds: { type: 'number', minimum: 0 },
    suites: { type: 'integer', minimum: 0 },
    commit: { type: 'string' },
  },
};
