/**
 * Browser tests (`npm run test:e2e`): the built server in a child process and
 * Chromium through playwright-core. One file at a time in a single fork, since
 * each file starts its own server and browser; timeouts leave room for both.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['e2e/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    teardownTimeout: 30_000,
  },
});
