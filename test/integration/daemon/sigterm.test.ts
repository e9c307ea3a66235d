import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { createTestDatabase } from '../../helpers/testDatabase.js';
import {
  bulkCommits,
  Cleanup,
  createManifestRepo,
  duplicates,
  getJson,
  onPostgres,
  readStoredState,
  startCliDaemon,
} from './harness.js';

const backend = onPostgres ? 'postgres' : 'embedded';
// Enough for the first pass to need several transactions (batches of 1, 2, 4, … 256 commits).
const COMMITS = 400;

describe(`SIGTERM while the daemon is applying (${backend})`, () => {
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  it('exits 0 within a few seconds, leaving every commit applied wholly or not at all', async () => {
    const repo = createManifestRepo(cleanup);
    const shas = bulkCommits(repo, COMMITS);
    const testDb = await createTestDatabase();
    cleanup.defer(() => testDb.drop());
    const global = [
      '--repo',
      repo.path,
      '--data-dir',
      testDb.dataDir,
      ...(testDb.url ? ['--database-url', testDb.url] : []),
    ];
    const daemon = await startCliDaemon(
      { global, daemon: ['--poll-interval', '60', '--log-level', 'debug'], cwd: repo.path },
      cleanup,
      // The first pass starts before the daemon says it started; on a loaded machine the embedded
      // store's pass holds the event loop for long stretches.
      60_000,
    );

    // The first pass is under way (it starts before `daemon started` is logged) and not finished.
    const readyz = await getJson(daemon.url, '/readyz');
    expect(readyz.status).toBe(503);
    expect(readyz.body).toMatchObject({
      reasons: expect.arrayContaining(['first sync not finished']),
    });
    // Signal as soon as the first transaction is in (the first batch is one commit; the next ones
    // grow to 256): the rest of the backlog is several transactions away, so an exit that drained
    // it instead of stopping between two transactions fails below. The database is not read here:
    // the embedded store is the daemon's alone, and its API answers from a cache during a pass.
    await vi.waitFor(
      () => expect(daemon.logs().some((line) => line.msg === 'applied commit')).toBe(true),
      { timeout: 20_000, interval: 2 },
    );
    const signalled = performance.now();
    daemon.process.kill('SIGTERM');
    const result = await daemon.exited;
    const exitMs = Math.round(performance.now() - signalled);
    expect(result.signal).toBeNull();
    expect(result.code).toBe(0);
    expect(exitMs).toBeLessThan(5_000);
    expect(daemon.logs().map((line) => line.msg)).toContain('daemon stopped');

    // Consistent: the versions are exactly those of the commits up to the cursor.
    const database = await testDb.open();
    let appliedCount: number;
    try {
      const { versions, cursors } = await readStoredState(database);
      expect(duplicates(versions)).toEqual([]);
      expect(cursors.length).toBeLessThanOrEqual(1);
      appliedCount = cursors[0] ? shas.indexOf(cursors[0]) + 1 : 0;
      if (cursors[0]) expect(appliedCount).toBeGreaterThan(0);
      // Abandoned between two commits, not drained: a long backlog must not hold the exit.
      expect(appliedCount).toBeLessThan(COMMITS);
      expect(versions.map((v) => v.commit_sha).sort()).toEqual(shas.slice(0, appliedCount).sort());
    } finally {
      await database.close();
    }
    console.log(
      `[daemon SIGTERM, ${backend}] exited ${result.code} ${exitMs} ms after SIGTERM, with ${appliedCount}/${COMMITS} commits applied`,
    );

    // A following sync applies the rest, once each.
    const sync = await runCli([...global, '--log-level', 'warn', 'sync'], { cwd: repo.path });
    expect(sync.code, sync.stderr).toBe(0);
    const after = await testDb.open();
    try {
      const { versions, cursors } = await readStoredState(after);
      expect(duplicates(versions)).toEqual([]);
      expect(versions).toHaveLength(COMMITS);
      expect(versions.map((v) => v.commit_sha).sort()).toEqual([...shas].sort());
      expect(cursors).toEqual([shas.at(-1)]);
    } finally {
      await after.close();
    }
  });
});
