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
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
