/**
 * Every route plugin, listed once. `apiRoutes` are mounted under `/api/v1`; `rootRoutes` at `/`.
 * Adding an endpoint family (the gate, webhooks) is one import and one line here; each route
 * states its access in `config.access` (see auth/).
 */
import type { FastifyInstance } from 'fastify';
import { badgeRoutes } from './badges.js';
import { checkRoutes } from './checks.js';
import { definitionRoutes } from './definitions.js';
import { entityRoutes } from './entities.js';
import { gateRoutes } from './gate.js';
import { exemptionRoutes } from './exemptions.js';
import { factRoutes } from './facts.js';
import { healthRoutes } from './health.js';
import { meRoutes } from './me.js';
import { overviewRoutes } from './overview.js';
import { previewRoutes } from './preview.js';
import { teamRoutes } from './teams.js';
import { trackRoutes } from './tracks.js';
import { webhookRoutes } from './webhooks.js';

export type RoutePlugin = (app: FastifyInstance) => Promise<void>;

export const apiRoutes: RoutePlugin[] = [
  healthRoutes({ hide: false }),
  meRoutes,
  entityRoutes,
  gateRoutes,
  teamRoutes,
  checkRoutes,
  trackRoutes,
  overviewRoutes,
  factRoutes,
  exemptionRoutes,
  previewRoutes,
  definitionRoutes,
  badgeRoutes,
  webhookRoutes,
];

export const rootRoutes: RoutePlugin[] = [healthRoutes({ hide: true })];
