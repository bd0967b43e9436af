export { Worker, type WorkerOptions } from './worker.js';
export { planDueJobs, enqueueRefresh, runJob, collectFor, currentSlot, COLLECT_BATCH, type JobPayload, type JobEnv } from './jobs.js';
