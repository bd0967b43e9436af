/** The engine's public surface: load definitions, evaluate entities, compute levels, gate, preview. */
export type * from './types.js';
export { OUTCOMES } from './types.js';
export { compileLogic, OPERATORS, SEMVER_OPERATORS } from './jsonlogic.js';
export type { CompiledLogic, CompileOptions, CompileProblem, EvalContext, VarRef, VarScope } from './jsonlogic.js';
export { loadDefinitions, formatProblems } from './load-definitions.js';
export type { Definitions, LoadedCheck, LoadedTrack, LoadDefinitionsInput } from './load-definitions.js';
export { evaluateEntity, computeTrackLevel, isSatisfied } from './evaluate.js';
export { gateTrack, DEFAULT_GATE } from './gate.js';
export type { GateTrackInput } from './gate.js';
export { previewDefinitions } from './preview.js';
export type { EntityPreview, LevelChange, LevelSummary, OutcomeChange, PreviewInput, PreviewResult, TrackSummary } from './preview.js';
