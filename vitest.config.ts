import { availableParallelism } from 'node:os';
import { configDefaults, defineConfig } from 'vitest/config';
import { DATABASE_FREE } from './test/helpers/databaseFree.js';
import { scratchDir } from './test/helpers/scratch.js';

// The tests' temp files on a RAM filesystem when there is one (test/helpers/scratch.ts): set here,
// before globalSetup makes its templates, so the workers forked after inherit it.
const scratch = scratchDir();
if (scratch) process.env.TMPDIR = scratch;

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: [...configDefaults.exclude, ...(process.env.TEST_DATABASE_URL ? DATABASE_FREE : [])],
    pool: 'forks',
    // As the CLI's own process does (src/cli/main.ts, run()): PGlite's WebAssembly on V8's
    // baseline tier only. Recompiling its hot functions with the optimizing tier, in every
    // worker, cost more CPU than the faster code saved over a worker's hundreds of short opens.
    execArgv: ['--liftoff-only'],
    // Files run side by side: each has its own database (test/helpers/testDatabase.ts) and its own
    // temp repositories. Half the time of a file is spent waiting on git, PostgreSQL or a timer, so
    // one worker more than the cores keeps them busy (`--maxWorkers=1` runs them one by one).
    maxWorkers: availableParallelism() + 1,
    // A worker keeps its modules from one file to the next (kysely, PGlite, ajv, the sources):
    // importing them afresh for every file cost more CPU than the unit tests themselves. Tests
    // share no module state: each makes its own databases, repositories, daemons and loggers.
    isolate: false,
    globalSetup: ['test/helpers/globalSetup.ts'],
    // Generous: three files share two cores, and the machine is often shared too.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // A test that checks nothing fails: every test must make at least one assertion.
    expect: { requireAssertions: true },
  },
});
