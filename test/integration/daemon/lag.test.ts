import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../helpers/testDatabase.js';
import {
  Cleanup,
  commitManifest,
  createManifestRepo,
  onPostgres,
  passCount,
  startTestDaemon,
  testConfig,
} from './harness.js';

// The lag gauges follow the ref, not the end of a pass.

const TOKEN = 'lag-test-admin-token';
const BEHIND = 'manifest_sync_commits_behind';
const AGE = 'manifest_sync_oldest_unapplied_commit_age_seconds';
const cleanup = new Cleanup();
let testDb: TestDatabase;
// A database per test: each test's repository binds the database to itself (see the README's binding).
beforeEach(async () => {
  testDb = await createTestDatabase();
});
afterEach(async () => {
  await cleanup.run();
  await testDb.drop();
});

const waitFor = (check: () => Promise<void>) =>
  vi.waitFor(check, { timeout: 15_000, interval: 25 });

describe('manifest_sync_commits_behind and the age of the oldest unapplied commit', () => {
  it('count the commits waiting and age the oldest while syncing is suspended; both fall to 0 once applied', async () => {
    const repo = createManifestRepo(cleanup);
    commitManifest(repo, 'lag-a');
    const daemon = await startTestDaemon(testConfig(repo, testDb), cleanup, {
      daemon: { adminToken: TOKEN },
    });
    await waitFor(async () => expect(await daemon.metric(BEHIND)).toBe(0));
    expect(await daemon.metric(AGE)).toBe(0);
    const admin = (path: string) =>
      fetch(`${daemon.url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}` },
      });
    expect((await admin('/admin/suspend?reason=lag')).status).toBe(200);

    commitManifest(repo, 'lag-b');
    commitManifest(repo, 'lag-c');
    await waitFor(async () => expect(await daemon.metric(BEHIND)).toBe(2));
    const age = await daemon.metric(AGE);
    expect(age).toBeGreaterThanOrEqual(0);
    await waitFor(async () => expect(await daemon.metric(AGE)).toBeGreaterThan(age ?? 0));

    expect((await admin('/admin/resume')).status).toBe(200);
    await waitFor(async () => expect(await daemon.metric(BEHIND)).toBe(0));
    expect(await daemon.metric(AGE)).toBe(0);
  });

  it.skipIf(!onPostgres)(
    'rise when the ref moves while a pass is stuck, before any pass ends',
    async () => {
      const repo = createManifestRepo(cleanup);
      commitManifest(repo, 'stuck-a');
      const daemon = await startTestDaemon(testConfig(repo, testDb), cleanup);
      await waitFor(async () => expect(await daemon.metric(BEHIND)).toBe(0));
      // Hold the advisory lock every commit's transaction takes first: the next pass waits on it.
      const root = repo.git('rev-list', '--max-parents=0', 'HEAD');
      const branch = repo.git('symbolic-ref', '--short', 'HEAD');
      const client = new pg.Client({ connectionString: testDb.url ?? '' });
      await client.connect();
      cleanup.defer(() => client.end());
      await client.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [
        `manifest-sync:${root}:${branch}`,
      ]);
      const passes = await passCount(daemon.url);

      commitManifest(repo, 'stuck-b');
      await waitFor(async () => expect(await daemon.metric(BEHIND)).toBe(1));
      commitManifest(repo, 'stuck-c');
      await waitFor(async () => expect(await daemon.metric(BEHIND)).toBe(2));
      expect(await daemon.metric(AGE)).toBeGreaterThanOrEqual(0);
      expect(await passCount(daemon.url)).toBe(passes); // no pass has ended: the ref move did it

      await client.query('SELECT pg_advisory_unlock_all()');
      await waitFor(async () => expect(await daemon.metric(BEHIND)).toBe(0));
      expect(await daemon.metric(AGE)).toBe(0);
    },
  );
});
