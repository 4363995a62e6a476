import { defineConfig } from 'vitest/config';

/** The long crash-and-resume suites (`.ci/long-suites`): not part of `npm test`. */
export default defineConfig({
  test: {
    include: ['test/crash/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
