import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['server/**/*.test.ts', 'action/**/*.test.ts', 'web/**/*.test.{ts,tsx}', 'test/**/*.test.ts', 'migrations/**/*.test.ts'],
    // test/faults/restart restarts its own PostgreSQL: `npm run test:faults` (vitest.faults.config.ts).
    exclude: ['node_modules/**', 'dist/**', 'action/dist/**', 'web/dist/**', 'test/faults/restart/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
