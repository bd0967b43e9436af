/** JSON Schema of the gate request body (Fastify validates it; the action and CLI build it). */
export const gateRequestSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['repo', 'sha'],
  properties: {
    repo: { type: 'string', pattern: '^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$', maxLength: 200, description: 'owner/name' },
    sha: { type: 'string', pattern: '^[0-9a-fA-F]{7,64}$', description: 'the commit judged' },
    pullRequest: { type: 'integer', minimum: 1, maximum: 999_999_999 },
    baseRef: { type: 'string', minLength: 1, maxLength: 255 },
    entities: { type: 'array', maxItems: 500, uniqueItems: true, items: { type: 'string', minLength: 3, maxLength: 500 } },
    tracks: { type: 'array', maxItems: 100, uniqueItems: true, items: { type: 'string', minLength: 1, maxLength: 100 } },
    mode: { enum: ['strict', 'ratchet'] },
    facts: {
      type: 'array',
      maxItems: 1000,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'data'],
        properties: {
          entityRef: { type: 'string', minLength: 3, maxLength: 500 },
          id: { type: 'string', minLength: 1, maxLength: 200 },
          data: {},
        },
      },
    },
  },
} as const;
