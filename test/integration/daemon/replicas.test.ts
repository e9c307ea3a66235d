import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Database } from '../../../src/db/connection.js';
import type { TempRepo } from '../../helpers/gitRepo.js';
import { skipping } from '../../helpers/skip.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/testDatabase.js';
import {
  Cleanup,
  commitManifest,
  createManifestRepo,
  duplicates,
  getJson,
  onPostgres,
  readMetric,
  readStoredState,
  startCliDaemon,
  startTestDaemon,
  testConfig,
} from './harness.js';

const POLL_MS = 300;
const within = { timeout: 10_000, interval: 10 };
const lockHeld = (url: string) => readMetric(url, 'manifest_sync_lock_held');

/** The invariant across replicas: each commit's version stored once, the cursor on the head. */
async function expectAppliedOnce(database: Database, repo: TempRepo, commits: string[]) {
  const { versions, cursors } = await readStoredState(database);
  expect(duplicates(versions)).toEqual([]);
  expect(versions.map((v) => v.commit_sha).sort()).toEqual([...commits].sort());
  expect(cursors).toEqual([repo.revParse()]);
}

describe('replicas on one PostgreSQL database', () => {
  const cleanup = new Cleanup();
  let repo: TempRepo;
  let testDb: TestDatabase;
  let database: Database;
  const commits: string[] = [];

  afterEach(() => cleanup.run());

  async function setUp() {
    repo = createManifestRepo(cleanup);
    commits.splice(0, commits.length, commitManifest(repo, 'gmail'));
    testDb = await createTestDatabase();
    cleanup.defer(() => testDb.drop());
    database = await testDb.open();
    cleanup.defer(() => database.close());
  }

  const applied = (sha: string) =>
    vi.waitFor(async () => {
      const { versions } = await readStoredState(database);
      expect(versions.map((v) => v.commit_sha)).toContain(sha);
    }, within);

  it.skipIf(skipping(!onPostgres, 'needs a PostgreSQL server: set TEST_DATABASE_URL'))(
    'exactly one applies; commits land once; stopping the leader hands over (needs TEST_DATABASE_URL: the embedded store has one process)',
    async () => {
      await setUp();
      const config = testConfig(repo, testDb);
      const daemon = { pollIntervalMs: POLL_MS };
      const a = await startTestDaemon(config, cleanup, { daemon });
      await vi.waitFor(async () => expect(await lockHeld(a.url)).toBe(1), within);
      const b = await startTestDaemon(config, cleanup, { daemon });
      await vi.waitFor(
        async () => expect((await getJson(b.url, '/readyz')).status).toBe(200),
        within,
      );
      expect((await getJson(b.url, '/readyz')).body).toEqual({
        ready: true,
        reasons: ['ready: standby replica; another replica holds the lock and applies'],
      });
      expect(await lockHeld(b.url)).toBe(0);

      // Both replicas' watchers fire on every commit; only the leader may write.
      commits.push(commitManifest(repo, 'gmail', 'Gmail, with labels.'));
      commits.push(commitManifest(repo, 'slack'));
      commits.push(commitManifest(repo, 'gmail', 'Gmail, with labels and drafts.'));
      await applied(repo.revParse());
      await new Promise((resolve) => setTimeout(resolve, 3 * POLL_MS));
      await expectAppliedOnce(database, repo, commits);
      expect(await lockHeld(a.url)).toBe(1);
      expect(await lockHeld(b.url)).toBe(0);
      expect(await readMetric(b.url, 'manifest_sync_versions_created_total')).toBe(0);
      expect(await readMetric(a.url, 'manifest_sync_versions_created_total')).toBe(4);

      const stopped = performance.now();
      await a.stop();
      await vi.waitFor(async () => expect(await lockHeld(b.url)).toBe(1), within);
      const failoverMs = Math.round(performance.now() - stopped);
      commits.push(commitManifest(repo, 'slack', 'Slack, with threads.'));
      const committed = performance.now();
      await applied(repo.revParse());
      console.log(
        `[daemon replicas] graceful stop of the leader → standby holds the lock: ${failoverMs} ms; next commit applied by it in ${Math.round(performance.now() - committed)} ms`,
      );
      await expectAppliedOnce(database, repo, commits);
      expect(await readMetric(b.url, 'manifest_sync_versions_created_total')).toBe(1);
    },
  );

  it.skipIf(skipping(!onPostgres, 'needs a PostgreSQL server: set TEST_DATABASE_URL'))(
    'a leader killed with SIGKILL is replaced by the standby (needs TEST_DATABASE_URL)',
    async () => {
      await setUp();
      const url = testDb.url ?? '';
      const leader = await startCliDaemon(
        {
          global: ['--repo', repo.path, '--data-dir', testDb.dataDir, '--database-url', url],
          daemon: ['--poll-interval', String(POLL_MS / 1000)],
          cwd: repo.path,
        },
        cleanup,
      );
      await vi.waitFor(async () => expect(await lockHeld(leader.url)).toBe(1), within);
      await applied(commits[0] ?? '');
      const standby = await startTestDaemon(testConfig(repo, testDb), cleanup, {
        daemon: { pollIntervalMs: POLL_MS },
      });
      await vi.waitFor(
        async () => expect((await getJson(standby.url, '/readyz')).status).toBe(200),
        within,
      );
      expect(await lockHeld(standby.url)).toBe(0);

      leader.process.kill('SIGKILL');
      const result = await leader.exited;
      const killed = performance.now();
      expect(result.signal).toBe('SIGKILL');
      await vi.waitFor(async () => expect(await lockHeld(standby.url)).toBe(1), within);
      const failoverMs = Math.round(performance.now() - killed);
      commits.push(commitManifest(repo, 'gmail', 'Gmail after the crash.'));
      await applied(repo.revParse());
      console.log(
        `[daemon replicas] SIGKILL of the leader → standby holds the lock: ${failoverMs} ms`,
      );
      await expectAppliedOnce(database, repo, commits);
      expect((await getJson(standby.url, '/readyz')).body).toEqual({
        ready: true,
        reasons: ['ready: up to date as of the last pass; this replica applies new commits'],
      });
    },
  );
});
