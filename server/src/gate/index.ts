/** The pull-request gate: contract, pure decision, server orchestration and renderers. */
export type * from './types.js';
export { gateRequestSchema } from './request-schema.js';
export { decideGate, gatedTrackIds, entityPageUrl, type GateSubject, type DecideInput } from './decide.js';
export { runGate, type GateServiceDeps } from './gate-service.js';
export { renderMarkdown, renderText, renderJunit, headline, blockingChecks } from './render.js';
