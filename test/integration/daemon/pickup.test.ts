import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTestDatabase } from '../../helpers/testDatabase.js';
import {
  Cleanup,
  commitManifest,
  createManifestRepo,
  getJson,
  onPostgres,
  passCount,
  startTestDaemon,
  testConfig,
} from './harness.js';

const backend = onPostgres ? 'postgres' : 'embedded';

describe(`a daemon in a local repository (${backend})`, () => {
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  it('applies a new commit by itself, nudged by the ref watcher alone (poll interval 60 s)', async () => {
    const repo = createManifestRepo(cleanup);
    const first = commitManifest(repo, 'gmail');
    const testDb = await createTestDatabase();
    cleanup.defer(() => testDb.drop());
    const daemon = await startTestDaemon(testConfig(repo, testDb), cleanup);

    await vi.waitFor(
      async () => expect((await daemon.state()).versions.map((v) => v.commit_sha)).toEqual([first]),
      { timeout: 10_000, interval: 20 },
    );
    const passesBefore = await passCount(daemon.url);

    const latencies: number[] = [];
    const expected = [first];
    for (let i = 1; i <= 3; i++) {
      const sha = commitManifest(repo, 'gmail', `Send and search email, revision ${i}.`);
      const committed = performance.now();
      expected.push(sha);
      await vi.waitFor(
        async () =>
          expect((await daemon.state()).versions.map((v) => v.commit_sha)).toEqual(expected),
        { timeout: 5_000, interval: 5 },
      );
      latencies.push(Math.round(performance.now() - committed));
    }
    console.log(`[daemon pickup, ${backend}] commit → version visible: ${latencies.join(', ')} ms`);

    const { versions, cursors } = await daemon.state();
    expect(versions.map((v) => v.version)).toEqual(['1.0.0', '1.0.1', '1.0.2', '1.0.3']);
    expect(cursors).toEqual([expected.at(-1)]);
    // The 60 s periodic check cannot have run: only the watcher's nudges caused these passes.
    expect(await passCount(daemon.url)).toBeGreaterThan(passesBefore);
  });

  it('serves /healthz at once, /readyz 503 until the first pass ends, then 200, and /metrics', async () => {
    const repo = createManifestRepo(cleanup);
    const sha = commitManifest(repo, 'gmail');
    const testDb = await createTestDatabase();
    cleanup.defer(() => testDb.drop());
    // The first pass is held behind a lock until the gate opens.
    const daemon = await startTestDaemon(testConfig(repo, testDb), cleanup, { gated: true });

    const health = await getJson(daemon.url, '/healthz');
    expect(health).toEqual({ status: 200, body: { status: 'ok' } });
    const before = await getJson(daemon.url, '/readyz');
    expect(before.status).toBe(503);
    expect(before.body).toMatchObject({
      ready: false,
      reasons: expect.arrayContaining(['first sync not finished']),
    });
    expect(await daemon.metric('manifest_sync_passes_total', { outcome: 'success' })).toBe(0);

    daemon.openGate();
    await vi.waitFor(async () => expect((await getJson(daemon.url, '/readyz')).status).toBe(200), {
      timeout: 10_000,
      interval: 20,
    });
    expect((await getJson(daemon.url, '/readyz')).body).toEqual({
      ready: true,
      reasons: ['ready: up to date as of the last pass; this replica applies new commits'],
    });
    expect((await getJson(daemon.url, '/healthz')).status).toBe(200);

    const metrics = await fetch(`${daemon.url}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await daemon.metric('manifest_sync_versions_created_total')).toBeGreaterThan(0);
    expect(
      await daemon.metric('manifest_sync_passes_total', { outcome: 'success' }),
    ).toBeGreaterThanOrEqual(1);
    expect(await daemon.metric('manifest_sync_lock_held')).toBe(1);
    expect(await daemon.metric('manifest_sync_commits_behind')).toBe(0);
    expect(await daemon.metric('manifest_sync_last_success_timestamp_seconds')).toBeGreaterThan(
      Date.now() / 1000 - 60,
    );
    expect((await daemon.state()).versions).toEqual([
      { slug: 'gmail', version: '1.0.0', commit_sha: sha },
    ]);
  });
});
