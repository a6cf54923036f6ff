import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'core/**/*.test.ts', 'electron/**/*.test.ts'],
    exclude: ['node_modules/**', 'out/**', 'test/targets/**'],
    testTimeout: 120_000,
    // No retries: a test that fails once is a bug to fix at its cause.
    retry: 0,
    hookTimeout: 300_000,
    // Two cores: keep the Go builds, browsers and fuzzers from starving each other.
    maxWorkers: 2,
    fileParallelism: true,
  },
});
