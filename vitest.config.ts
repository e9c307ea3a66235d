import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    // Files run side by side: each has its own database (test/helpers/testDatabase.ts) and its own
    // temp repositories. Half the time of a file is spent waiting on git, PostgreSQL or a timer, so
    // one worker more than the cores keeps them busy (`--maxWorkers=1` runs them one by one).
    maxWorkers: availableParallelism() + 1,
    globalSetup: ['test/helpers/globalSetup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // A test that checks nothing fails: every test must make at least one assertion.
    expect: { requireAssertions: true },
  },
});
