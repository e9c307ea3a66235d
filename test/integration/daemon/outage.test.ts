import { afterEach, describe, expect, it, vi } from 'vitest';
import { skipping } from '../../helpers/skip.js';
import { startTcpProxy } from '../../helpers/tcpProxy.js';
import { createTestDatabase } from '../../helpers/testDatabase.js';
import {
  Cleanup,
  commitManifest,
  createManifestRepo,
  duplicates,
  getJson,
  onPostgres,
  readMetric,
  readStoredState,
  startTestDaemon,
  testConfig,
} from './harness.js';

const within = { timeout: 10_000, interval: 10 };

describe('the database going away and coming back', () => {
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  it.skipIf(skipping(!onPostgres, 'needs a PostgreSQL server: set TEST_DATABASE_URL'))(
    'keeps serving health, reports not ready with a reason, and catches up once the database returns (needs TEST_DATABASE_URL: cuts a TCP connection)',
    async () => {
      const repo = createManifestRepo(cleanup);
      const first = commitManifest(repo, 'gmail');
      const testDb = await createTestDatabase();
      cleanup.defer(() => testDb.drop());
      const direct = new URL(testDb.url ?? '');
      const proxy = await startTcpProxy({
        host: direct.hostname,
        port: Number(direct.port || 5432),
      });
      cleanup.defer(() => proxy.close());
      const viaProxy = new URL(direct);
      viaProxy.hostname = '127.0.0.1';
      viaProxy.port = String(proxy.port);

      // The test reads the database directly, never through the proxy.
      const database = await testDb.open();
      cleanup.defer(() => database.close());
      const commitsIn = async () =>
        (await readStoredState(database)).versions.map((v) => v.commit_sha);

      const daemon = await startTestDaemon(
        testConfig(repo, testDb, { databaseUrl: viaProxy.toString() }),
        cleanup,
        { daemon: { pollIntervalMs: 300, backoffMaxMs: 1_000 } },
      );
      await vi.waitFor(
        async () => expect((await getJson(daemon.url, '/readyz')).status).toBe(200),
        within,
      );
      expect(await commitsIn()).toEqual([first]);
      expect(proxy.accepted).toBeGreaterThan(0);

      await proxy.cut();
      const second = commitManifest(repo, 'gmail', 'Gmail, committed while the database was away.');
      await vi.waitFor(async () => {
        const readyz = await getJson(daemon.url, '/readyz');
        expect(readyz.status).toBe(503);
        expect((readyz.body as { reasons: string[] }).reasons.join('\n')).toMatch(
          /last pass failed \(\d+ in a row\): /,
        );
      }, within);
      expect(await getJson(daemon.url, '/healthz')).toEqual({
        status: 200,
        body: { status: 'ok' },
      });
      // A few more failed passes (backing off, capped at 1 s), and still serving.
      await vi.waitFor(
        async () =>
          expect(
            await readMetric(daemon.url, 'manifest_sync_passes_total', { outcome: 'failure' }),
          ).toBeGreaterThanOrEqual(3),
        within,
      );
      expect((await getJson(daemon.url, '/healthz')).status).toBe(200);
      expect((await getJson(daemon.url, '/readyz')).status).toBe(503);
      expect(await commitsIn()).toEqual([first]);
      console.log(
        `[daemon outage] readyz while down: ${JSON.stringify((await getJson(daemon.url, '/readyz')).body)}`,
      );

      await proxy.restore();
      const restored = performance.now();
      await vi.waitFor(async () => expect(await commitsIn()).toEqual([first, second]), within);
      const catchUpMs = Math.round(performance.now() - restored);
      await vi.waitFor(
        async () => expect((await getJson(daemon.url, '/readyz')).status).toBe(200),
        within,
      );
      console.log(`[daemon outage] database back → missed commit applied: ${catchUpMs} ms`);
      expect(await readMetric(daemon.url, 'manifest_sync_lock_held')).toBe(1);

      // And it keeps working afterwards: the next commit comes in through the watcher.
      const third = commitManifest(repo, 'slack');
      await vi.waitFor(async () => expect(await commitsIn()).toContain(third), within);
      const { versions, cursors } = await readStoredState(database);
      expect(duplicates(versions)).toEqual([]);
      expect(cursors).toEqual([third]);
    },
  );
});
