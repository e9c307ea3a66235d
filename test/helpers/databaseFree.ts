/**
 * Integration test files that open no database: they run in the default (embedded) run only. CI
 * runs the suite twice, on a PostgreSQL server and embedded; on the server's run these would only
 * repeat the same git processes, packages and CI snippets — about a third of that run's time
 * (vitest.config.ts leaves them out, globalSetup says so). The unit tests, a few seconds, run in both.
 */
export const DATABASE_FREE = [
  'test/integration/git/**',
  'test/integration/cli/package.test.ts',
  'test/integration/check/ciSnippets.test.ts',
  'test/integration/check/checkRevisions.test.ts',
  'test/integration/check/largeChange.test.ts',
  'test/integration/check/cli.test.ts',
];
