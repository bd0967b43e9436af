import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['server/**/*.test.ts', 'action/**/*.test.ts', 'web/**/*.test.{ts,tsx}', 'test/**/*.test.ts', 'migrations/**/*.test.ts'],
    exclude: ['node_modules/**', 'dist/**', 'action/dist/**', 'web/dist/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
