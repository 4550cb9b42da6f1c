import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'src/**/*.test.ts',
      'test/**/*.test.ts',
      'scripts/**/*.test.ts',
      'bench/**/*.test.ts',
      'deploy/**/*.test.ts',
    ],
    exclude: ['e2e/**', 'node_modules/**', 'dist/**'],
    // No test reaches the network: weather is off unless a test turns it on with a MockAgent.
    env: { WEATHER_PROVIDER: 'none' },
    // Finds PostgreSQL and Redis (TEST_DATABASE_URL / TEST_REDIS_URL, or local servers) and says so in one line.
    globalSetup: ['test/global-setup.ts'],
    // The default output, plus a line counting the PostgreSQL suites skipped when there is no PostgreSQL.
    reporters: ['default', './test/postgres-reporter.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
