import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { daemonReader } from '../../../src/query/daemonReader.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/testDatabase.js';
import {
  Cleanup,
  commitManifest,
  createManifestRepo,
  onPostgres,
  startTestDaemon,
  testConfig,
} from './harness.js';

/**
 * The read cache's rules through a running daemon (src/daemon/README.md): an answer is served
 * again for about a second whatever passes end meanwhile, but this daemon's own admin writes are
 * seen at once, and a request with `Cache-Control: no-cache` (the CLI's `--daemon` reads) sees a
 * pass as soon as it has ended.
 */
const TOKEN = 'read-cache-token';
const backend = onPostgres ? 'postgres' : 'embedded';
let testDb: TestDatabase;
const cleanup = new Cleanup();
beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterEach(() => cleanup.run());
afterAll(() => testDb.drop());

interface Listed {
  version: string;
  yanked?: boolean;
}

async function versionsOf(url: string, headers: Record<string, string> = {}): Promise<Listed[]> {
  const response = await fetch(`${url}/api/connectors/rc/versions`, { headers });
  expect(response.status).toBe(200);
  return ((await response.json()) as { versions: Listed[] }).versions;
}

describe(`the daemon's read cache (${backend})`, () => {
  it('shows an admin write at once, a pass at once to no-cache, and to everyone within seconds', async () => {
    const repo = createManifestRepo(cleanup);
    commitManifest(repo, 'rc', 'first');
    commitManifest(repo, 'rc', 'second');
    const daemon = await startTestDaemon(testConfig(repo, testDb), cleanup, {
      daemon: { adminToken: TOKEN },
    });
    await vi.waitFor(async () => expect(await versionsOf(daemon.url)).toHaveLength(2), {
      timeout: 30_000,
      interval: 50,
    });

    // Read-after-write: the answer just kept is not served after this daemon's own yank.
    const first = async () => (await versionsOf(daemon.url)).find((v) => v.version === '1.0.0');
    expect((await first())?.yanked).toBeFalsy();
    const yank = await fetch(`${daemon.url}/admin/yank?slug=rc&version=1.0.0&reason=broken`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(yank.status).toBe(200);
    expect((await first())?.yanked).toBe(true);

    // Keep an answer for the plain path and for the CLI's reader, then commit.
    const reader = daemonReader(daemon.url);
    const primed = performance.now();
    expect(await versionsOf(daemon.url)).toHaveLength(2);
    expect(await reader.readVersionHistory('rc')).toHaveLength(2);
    commitManifest(repo, 'rc', 'third');
    // The pass that wrote the version has ended once the loop is idle after the row is there.
    await vi.waitFor(
      async () => {
        const stored = (await daemon.state()).versions.filter((v) => v.slug === 'rc');
        expect([stored.length, daemon.busy()]).toEqual([3, false]);
      },
      { timeout: 30_000, interval: 10 },
    );
    const plain = await versionsOf(daemon.url);
    const settling = performance.now() - primed < 900;
    // Within the settle window a poller gets the kept answer (on a machine too slow to be inside
    // it by now, there is nothing to check here).
    if (settling) expect(plain).toHaveLength(2);
    expect(await versionsOf(daemon.url, { 'cache-control': 'no-cache' })).toHaveLength(3);
    expect(await reader.readVersionHistory('rc')).toHaveLength(3);
    await vi.waitFor(async () => expect(await versionsOf(daemon.url)).toHaveLength(3), {
      timeout: 5_000,
      interval: 50,
    });
  }, 60_000);
});
