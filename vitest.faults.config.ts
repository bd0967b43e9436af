import { defineConfig } from 'vitest/config';

/** `npm run test:faults`: suites that start, stop and restart their own services (see docs/guarantees.md). */
export default defineConfig({
  test: {
    include: ['test/faults/restart/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
