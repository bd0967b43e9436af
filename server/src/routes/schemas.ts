/**
 * JSON Schemas of the API's requests and responses: Fastify validates requests and serialises
 * responses with them, and @fastify/swagger turns them into the OpenAPI document. They mirror
 * the types in `api-types.ts`.
 */
type Schema = Record<string, unknown>;

export const str = { type: 'string' } as const;
export const int = { type: 'integer' } as const;
export const num = { type: 'number' } as const;
export const bool = { type: 'boolean' } as const;
export const any = {} as const;
export const dateTime = { type: 'string', format: 'date-time' } as const;
export const nullable = (s: Schema): Schema => ({ ...s, type: [s.type as string, 'null'] });
export const arr = (items: Schema): Schema => ({ type: 'array', items });
export const obj = (properties: Record<string, Schema>, required: string[] = Object.keys(properties)): Schema => ({
  type: 'object', properties, required, additionalProperties: false,
});
export const openObject = { type: 'object', additionalProperties: true } as const;

export const outcome = { type: 'string', enum: ['pass', 'fail', 'unknown', 'error', 'not-applicable', 'exempt'] };
export const effort = { type: ['string', 'null'], enum: ['low', 'medium', 'high', null] };

export const errorBody = {
  $id: 'ApiError',
  type: 'object',
  properties: { error: { type: 'object', properties: { code: str, message: str, details: any }, required: ['code', 'message'] } },
  required: ['error'],
};

/** Response map with the error body for every 4xx/5xx. */
export const responses = (ok: Schema, status = 200): Schema => ({
  [status]: ok,
  '4xx': { $ref: 'ApiError#' },
  '5xx': { $ref: 'ApiError#' },
});

// --- params / querystrings --------------------------------------------------------------
const name = { type: 'string', minLength: 1, maxLength: 253 };
export const entityParams = obj({ kind: name, namespace: name, name });
export const idParams = obj({ id: { type: 'string', minLength: 1, maxLength: 200 } });
export const nameParams = obj({ name });
export const daysQuery = (def: number) => obj({ days: { type: 'integer', minimum: 1, maximum: 366, default: def } }, []);

// --- shared response parts ----------------------------------------------------------------
export const entityLevel = obj({ trackId: str, level: nullable(str), levelIndex: int, nextLevel: nullable(str) });

const entitySummaryProps = {
  ref: str, kind: str, namespace: str, name: str, title: nullable(str), owner: nullable(str), system: nullable(str),
  type: nullable(str), lifecycle: nullable(str), githubSlug: nullable(str), levels: arr(entityLevel),
};
export const entitySummary = obj(entitySummaryProps);
export const entityList = obj({ total: int, limit: int, offset: int, items: arr(entitySummary) });

const exemptionNote = obj({ reason: str, author: str, expiresAt: str });
export const scorecardCheck = obj({
  checkId: str, name: str, description: str, outcome, message: str, values: openObject, remediation: str,
  effort, docsUrl: nullable(str), exemption: { anyOf: [exemptionNote, { type: 'null' }] }, changedAt: nullable(str),
});
const gate = obj({ level: str, mode: { type: 'string', enum: ['strict', 'ratchet'] }, onUnknown: { type: 'string', enum: ['fail', 'pass'] } });
const nullableGate = { anyOf: [gate, { type: 'null' }] };
export const scorecard = obj({
  entity: obj({ ...entitySummaryProps, description: nullable(str) }),
  definitionsVersion: nullable(str),
  evaluatedAt: nullable(str),
  tracks: arr(obj({
    trackId: str, name: str, description: str, level: nullable(str), levelName: nullable(str), levelIndex: int,
    nextLevel: nullable(str), nextLevelName: nullable(str), missing: arr(str),
    levels: arr(obj({ id: str, name: str, reached: bool, checks: arr(scorecardCheck) })),
    gate: nullableGate,
  })),
  otherChecks: arr(scorecardCheck),
});

export const entityHistory = obj({
  entityRef: str,
  levelChanges: arr(obj({ trackId: str, level: nullable(str), previousLevel: nullable(str), at: str })),
  outcomeChanges: arr(obj({ checkId: str, outcome, previousOutcome: { anyOf: [outcome, { type: 'null' }] }, message: str, at: str })),
  daily: arr(obj({ day: str, trackId: str, level: nullable(str), levelIndex: int })),
});

export const entityFacts = obj({
  entityRef: str,
  facts: arr(obj({
    id: str, data: any, source: str, collectedAt: str, changedAt: str, ageSeconds: int, maxAgeSeconds: nullable(int),
    stale: bool, lastError: nullable(str), lastErrorAt: nullable(str),
  })),
});

export const factHistory = obj({
  entityRef: str,
  items: arr(obj({ id: str, scope: str, data: any, source: str, collectedAt: str })),
});

export const levelCount = obj({ levelId: nullable(str), name: str, count: int });
export const trackDistribution = obj({ trackId: str, name: str, total: int, levels: arr(levelCount) });
export const dailyDistribution = obj({ day: str, trackId: str, total: int, levels: arr(levelCount), health: nullable(num) });

export const teamSummary = obj({ ref: str, name: str, title: nullable(str), components: int, health: nullable(num), tracks: arr(trackDistribution) });
export const teamList = obj({ items: arr(teamSummary) });
export const teamDetail = obj({
  team: teamSummary,
  tracks: arr(obj({ trackId: str, name: str, levels: arr(obj({ id: str, name: str })) })),
  components: arr(obj({ ref: str, name: str, title: nullable(str), type: nullable(str), levels: arr(entityLevel) })),
  blockingChecks: arr(obj({ checkId: str, name: str, trackId: str, levelId: nullable(str), blocks: int, entities: arr(str), remediation: str, effort })),
});
export const teamTrend = obj({ team: str, days: int, series: arr(dailyDistribution) });

const countsProps = { pass: int, fail: int, unknown: int, error: int, notApplicable: int, exempt: int };
const checkSummaryProps = {
  id: str, name: str, description: str, tags: arr(str), effort, facts: arr(str),
  levels: arr(obj({ trackId: str, levelId: str })), counts: obj(countsProps), passRate: nullable(num),
};
export const checkList = obj({ items: arr(obj(checkSummaryProps)) });
export const checkDetail = obj({
  ...checkSummaryProps,
  definition: openObject,
  failing: arr(obj({ entityRef: str, owner: nullable(str), outcome, message: str, since: str })),
  daily: arr(obj({ day: str, ...countsProps, passRate: nullable(num) })),
});

const trackSummaryProps = {
  id: str, name: str, description: str,
  levels: arr(obj({ id: str, name: str, checks: arr(obj({ id: str, name: str })) })),
  gate: nullableGate,
  distribution: trackDistribution,
};
export const trackList = obj({ items: arr(obj(trackSummaryProps)) });
export const trackDetail = obj({ ...trackSummaryProps, daily: arr(dailyDistribution) });

export const overview = obj({
  definitionsVersion: str,
  components: int,
  tracks: arr(trackDistribution),
  daily: arr(obj({ day: str, trackId: str, total: int, atOrAbove: arr(obj({ levelId: str, share: num })) })),
  mostFailingChecks: arr(obj({ checkId: str, name: str, failing: int })),
  teams: arr(obj({ ref: str, name: str, title: nullable(str), components: int, health: nullable(num) })),
  levelMoves: obj({
    since: str,
    tracks: arr(obj({ trackId: str, ups: int, downs: int })),
    recent: arr(obj({ entityRef: str, trackId: str, from: nullable(str), to: nullable(str), direction: { type: 'string', enum: ['up', 'down'] }, at: str })),
  }),
});

export const exemptionItem = obj({
  id: str, entityRef: str, checkId: str, reason: str, author: str, expiresAt: str, createdAt: str,
  revokedAt: nullable(str), revokedBy: nullable(str), status: { type: 'string', enum: ['active', 'expiring', 'expired', 'revoked'] },
});
export const exemptionList = obj({ items: arr(exemptionItem) });
export const auditList = obj({ items: arr(obj({ id: str, at: str, actor: str, action: str, target: str, details: any })) });
