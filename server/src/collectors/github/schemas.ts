import type { JsonSchema } from '../collector.js';

const str = { type: 'string' };
const strOrNull = { type: ['string', 'null'] };
const int = { type: 'integer', minimum: 0 };
const intOrNull = { type: ['integer', 'null'], minimum: 0 };
const bool = { type: 'boolean' };
const numOrNull = { type: ['number', 'null'] };

export const repositorySchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    visibility: { enum: ['public', 'private', 'internal'] },
    archived: bool,
    defaultBranch: str,
    topics: { type: 'array', items: str },
    license: strOrNull,
    description: strOrNull,
    pushedAt: strOrNull,
    openPullRequests: int,
    oldestPullRequestAgeDays: numOrNull,
  },
};

export const branchProtectionSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    enabled: bool,
    source: { enum: ['branch-protection', 'rulesets', 'both', 'none'] },
    requiredReviews: int,
    dismissStaleReviews: bool,
    requireCodeOwnerReviews: bool,
    requiredStatusChecks: { type: 'array', items: str },
    strictStatusChecks: bool,
    enforceAdmins: bool,
    allowForcePushes: bool,
    allowDeletions: bool,
    requireLinearHistory: bool,
    requireSignedCommits: bool,
  },
};

export const filesSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    readme: bool,
    codeowners: bool,
    codeownersErrors: intOrNull,
    license: bool,
    securityPolicy: bool,
    contributing: bool,
    dependabot: bool,
    renovate: bool,
    workflows: { type: 'array', items: str },
  },
};

const severityCounts = {
  type: 'object',
  additionalProperties: false,
  properties: { critical: int, high: int, medium: int, low: int, total: int },
};

/** Present when `enabled` is false: the feature is off, or the token may not read its alerts. */
const unavailableReason = { enum: ['disabled', 'no-access'] };

export const securitySchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    dependabot: { type: 'object', additionalProperties: false, properties: { enabled: bool, reason: unavailableReason, open: severityCounts } },
    codeScanning: { type: 'object', additionalProperties: false, properties: { enabled: bool, reason: unavailableReason, open: severityCounts } },
    secretScanning: { type: 'object', additionalProperties: false, properties: { enabled: bool, reason: unavailableReason, open: int } },
  },
};

export const actionsSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    runs: int,
    successRate: numOrNull,
    medianDurationSeconds: numOrNull,
    lastSuccessAgeDays: numOrNull,
    lastRunAt: strOrNull,
    workflows: int,
  },
};

export const githubFactSchemas = {
  'github.repository': repositorySchema,
  'github.branch-protection': branchProtectionSchema,
  'github.files': filesSchema,
  'github.security': securitySchema,
  'github.actions': actionsSchema,
} as const;
