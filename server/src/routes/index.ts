/**
 * Every route plugin, listed once. `apiRoutes` are mounted under `/api/v1`; `rootRoutes` at `/`.
 * Adding an endpoint family (the gate, webhooks) is one import and one line here; each route
 * states its access in `config.access` (see auth/).
 */
import type { FastifyInstance } from 'fastify';
import { entityRoutes } from './entities.js';
import { gateRoutes } from './gate.js';
import { healthRoutes } from './health.js';

export type RoutePlugin = (app: FastifyInstance) => Promise<void>;

export const apiRoutes: RoutePlugin[] = [
  healthRoutes({ hide: false }),
  entityRoutes,
  gateRoutes,
];

export const rootRoutes: RoutePlugin[] = [healthRoutes({ hide: true })];
