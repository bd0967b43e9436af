import type { FastifyInstance } from 'fastify';
import { actorOf } from '../auth/index.js';
import { errors } from '../errors.js';
import type { StoredExemption } from '../store/index.js';
import type { AuditList, ExemptionItem, ExemptionList } from './api-types.js';
import { iso, parseRef } from './params.js';
import { auditList, exemptionItem, exemptionList, obj, responses } from './schemas.js';

const DAY = 86_400_000;
/** An exemption is "expiring" in its last 14 days. */
export const EXPIRING_DAYS = 14;
/** The longest an exemption may run. */
export const MAX_EXEMPTION_DAYS = 365;

export function exemptionStatus(e: StoredExemption, now: Date): ExemptionItem['status'] {
  if (e.revokedAt) return 'revoked';
  const left = Date.parse(e.expiresAt) - now.getTime();
  if (left <= 0) return 'expired';
  return left <= EXPIRING_DAYS * DAY ? 'expiring' : 'active';
}

const item = (e: StoredExemption, now: Date): ExemptionItem => ({
  id: e.id, entityRef: e.entityRef, checkId: e.checkId, reason: e.reason, author: e.author, expiresAt: e.expiresAt,
  createdAt: e.createdAt, revokedAt: e.revokedAt, revokedBy: e.revokedBy, status: exemptionStatus(e, now),
});

interface CreateBody {
  entityRef: string;
  checkId: string;
  reason: string;
  expiresAt: string;
}

export async function exemptionRoutes(app: FastifyInstance): Promise<void> {
  const { runtime } = app;

  app.post<{ Body: CreateBody }>('/exemptions', {
    config: { access: 'admin' },
    schema: {
      tags: ['exemptions'],
      summary: 'Exempt an entity from a check until a date (admin); audited, and the entity is rescored',
      body: obj({
        entityRef: { type: 'string', minLength: 1, maxLength: 300 },
        checkId: { type: 'string', minLength: 1, maxLength: 200 },
        reason: { type: 'string', minLength: 3, maxLength: 2000 },
        expiresAt: { type: 'string', minLength: 10, maxLength: 40, description: 'ISO 8601; in the future and at most 365 days away' },
      }),
      response: responses(exemptionItem, 201),
    },
  }, async (request, reply): Promise<ExemptionItem> => {
    const now = app.now();
    const body = request.body;
    const ref = parseRef(body.entityRef);
    if (!(await runtime.store.entities.get(ref))) throw new errors.YS_ERR_ENTITY_NOT_FOUND(ref);
    if (!runtime.definitions.checks.has(body.checkId)) throw new errors.YS_ERR_EXEMPTION_INVALID(`/checkId: unknown check "${body.checkId}"`);
    const expires = Date.parse(body.expiresAt);
    if (Number.isNaN(expires)) throw new errors.YS_ERR_EXEMPTION_INVALID('/expiresAt: must be an ISO 8601 date-time');
    if (expires <= now.getTime()) throw new errors.YS_ERR_EXEMPTION_INVALID('/expiresAt: must be in the future');
    if (expires > now.getTime() + MAX_EXEMPTION_DAYS * DAY) throw new errors.YS_ERR_EXEMPTION_INVALID(`/expiresAt: at most ${MAX_EXEMPTION_DAYS} days away`);
    const actor = actorOf(request.principal);
    const created = await runtime.store.exemptions.create(
      { entityRef: ref, checkId: body.checkId, reason: body.reason, author: actor, expiresAt: new Date(expires).toISOString() },
      actor,
    );
    await runtime.rescore({ refs: [ref], now });
    return reply.status(201).send(item(created, now));
  });

  app.get<{ Querystring: { status: 'active' | 'expiring' | 'all'; entityRef?: string } }>('/exemptions', {
    config: { access: 'read' },
    schema: {
      tags: ['exemptions'],
      summary: 'Exemptions: active (default), expiring (within 14 days) or all (including expired and revoked)',
      querystring: obj({
        status: { type: 'string', enum: ['active', 'expiring', 'all'], default: 'active' },
        entityRef: { type: 'string', maxLength: 300 },
      }, []),
      response: responses(exemptionList),
    },
  }, async (request): Promise<ExemptionList> => {
    const now = app.now();
    const { status } = request.query;
    const entityRef = request.query.entityRef ? parseRef(request.query.entityRef) : undefined;
    const list = await runtime.store.exemptions.list({ entityRef, includeInactive: status === 'all', now });
    const items = list.map((e) => item(e, now));
    return { items: status === 'expiring' ? items.filter((i) => i.status === 'expiring') : items };
  });

  app.delete<{ Params: { id: string } }>('/exemptions/:id', {
    config: { access: 'admin' },
    schema: {
      tags: ['exemptions'], summary: 'Revoke an exemption (admin); audited, and the entity is rescored',
      params: obj({ id: { type: 'string', minLength: 1, maxLength: 100 } }),
      response: responses(exemptionItem),
    },
  }, async (request): Promise<ExemptionItem> => {
    const now = app.now();
    const revoked = await runtime.store.exemptions.revoke(request.params.id, actorOf(request.principal), now);
    if (!revoked) throw new errors.YS_ERR_EXEMPTION_NOT_FOUND(request.params.id);
    await runtime.rescore({ refs: [revoked.entityRef], now });
    return item(revoked, now);
  });

  app.get<{ Querystring: { limit: number; action?: string } }>('/audit', {
    config: { access: 'admin' },
    schema: {
      tags: ['exemptions'], summary: 'Audit log, newest first (admin): exemptions and tokens created and revoked',
      querystring: obj({ limit: { type: 'integer', minimum: 1, maximum: 1000, default: 200 }, action: { type: 'string', maxLength: 100, description: 'Action prefix, e.g. `exemption.`' } }, []),
      response: responses(auditList),
    },
  }, async (request): Promise<AuditList> => {
    const rows = await runtime.store.insights.audit({ limit: request.query.limit, action: request.query.action });
    return { items: rows.map((r) => ({ id: String(r.id), at: iso(r.at as Date)!, actor: r.actor, action: r.action, target: r.target, details: r.details })) };
  });
}
