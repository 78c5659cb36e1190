import { defineConfig } from 'vitest/config';

// Every package writes a JSON report beside its default output, so scripts/run-tests.mjs
// can print one "N passed, N failed" line for the whole workspace.
export default defineConfig({
  test: {
    reporters: ['default', ['json', { outputFile: '.test-results/vitest.json' }]],
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
