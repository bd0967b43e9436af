export { Worker, type WorkerOptions } from './worker.js';
export { planDueJobs, enqueueRefresh, runJob, collectFor, currentSlot, activeCollectors, collectorSettings, COLLECT_BATCH, type JobPayload, type JobEnv } from './jobs.js';
