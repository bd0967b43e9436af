import type { Collector } from '../collector.js';
import { coverageSchema, testsSchema } from './schemas.js';

/**
 * CI reports: coverage and test totals, pushed by CI (`yardstick report`, `yardstick facts push`,
 * or the facts API). Push-only: the scheduler never sweeps it.
 */
export const ciCollector: Collector = {
  id: 'ci',
  version: 1,
  factSchemas: { 'ci.coverage': coverageSchema, 'ci.tests': testsSchema },
  // A report describes the code as of its commit; a month without a new one means CI stopped reporting.
  maxAgeSeconds: { 'ci.coverage': 30 * 86_400, 'ci.tests': 30 * 86_400 },
  appliesTo: () => true,
  async collect() {
    return { facts: [], errors: [] };
  },
};
