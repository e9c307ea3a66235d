import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, startCliProcess } from '../../helpers/cli.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/testDatabase.js';
import {
  Cleanup,
  commitManifest,
  createManifestRepo,
  readMetric,
  startTestDaemon,
  testConfig,
} from '../daemon/harness.js';

const TOKEN = 'operator-secret-token';
let testDb: TestDatabase;
const cleanup = new Cleanup();

// A database per test: each test's repository binds the database to itself (see the README's binding).
beforeEach(async () => {
  testDb = await createTestDatabase();
});
afterEach(async () => {
  await cleanup.run();
  await testDb.drop();
});

/** Waits until `check` returns a truthy value, or fails after `ms`. */
async function eventually<T>(check: () => Promise<T>, ms = 10_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + ms;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await check();
    if (last) return last as NonNullable<T>;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out; last value: ${JSON.stringify(last)}`);
}

function admin(url: string, path: string, token: string | null = TOKEN): Promise<Response> {
  return fetch(`${url}${path}`, {
    method: 'POST',
    headers: token === null ? {} : { authorization: `Bearer ${token}` },
  });
}

async function latestVersion(url: string, slug: string): Promise<string | null> {
  const response = await fetch(`${url}/api/connectors/${slug}`);
  if (!response.ok) return null;
  const body = (await response.json()) as { latest: { version: string } | null };
  return body.latest?.version ?? null;
}

async function readyReasons(url: string): Promise<{ status: number; reasons: string[] }> {
  const response = await fetch(`${url}/readyz`);
  return {
    status: response.status,
    reasons: ((await response.json()) as { reasons: string[] }).reasons,
  };
}

describe('operators (admin API, suspend, resume, forced resync)', () => {
  it('refuses a missing or forged token with 401 and changes nothing; no token configured means no endpoints', async () => {
    const repo = createManifestRepo(cleanup);
    commitManifest(repo, 'alpha');
    const daemon = await startTestDaemon(testConfig(repo, testDb), cleanup, {
      daemon: { adminToken: TOKEN },
    });
    await eventually(async () => (await readyReasons(daemon.url)).status === 200);

    for (const token of [null, 'wrong-token', `${TOKEN}x`, TOKEN.slice(0, -1)]) {
      expect((await admin(daemon.url, '/admin/suspend', token)).status).toBe(401);
      expect((await admin(daemon.url, '/admin/resync', token)).status).toBe(401);
    }
    expect(await daemon.metric('manifest_sync_suspended')).toBe(0);
    expect(
      await daemon.metric('manifest_sync_resyncs_total', { trigger: 'admin-api' }),
    ).toBeUndefined();
    expect((await readyReasons(daemon.url)).status).toBe(200);
    await daemon.stop();

    const closed = await startTestDaemon(testConfig(repo, testDb), cleanup, {
      daemon: { adminToken: null },
    });
    expect((await admin(closed.url, '/admin/suspend')).status).toBe(404);
  });

  it('suspend, commit: nothing applied while it still reports the lag; resume: applied', async () => {
    const repo = createManifestRepo(cleanup);
    commitManifest(repo, 'beta');
    const daemon = await startTestDaemon(testConfig(repo, testDb), cleanup, {
      daemon: { adminToken: TOKEN },
    });
    await eventually(async () => (await latestVersion(daemon.url, 'beta')) === '1.0.0');

    expect((await admin(daemon.url, '/admin/suspend?reason=incident%2042')).status).toBe(200);
    const { status, reasons } = await readyReasons(daemon.url);
    expect(status).toBe(503);
    expect(reasons.join(' ')).toMatch(/suspended since .* by admin-api: incident 42/);

    commitManifest(repo, 'beta', 'a second description');
    // The watcher nudges a pass, which sees the commit, reports the lag and applies nothing.
    await eventually(async () => (await daemon.metric('manifest_sync_commits_behind')) === 1);
    expect(await daemon.metric('manifest_sync_suspended')).toBe(1);
    expect(await latestVersion(daemon.url, 'beta')).toBe('1.0.0');

    expect((await admin(daemon.url, '/admin/resume')).status).toBe(200);
    await eventually(async () => (await latestVersion(daemon.url, 'beta')) === '1.0.1');
    await eventually(async () => (await daemon.metric('manifest_sync_commits_behind')) === 0);
    await eventually(async () => (await readyReasons(daemon.url)).status === 200);
  });

  it('keeps a suspension across a restart, and status shows who suspended it and why', async () => {
    const repo = createManifestRepo(cleanup);
    commitManifest(repo, 'gamma');
    const config = testConfig(repo, testDb);
    const first = await startTestDaemon(config, cleanup, { daemon: { adminToken: TOKEN } });
    await eventually(async () => (await latestVersion(first.url, 'gamma')) === '1.0.0');
    expect((await admin(first.url, '/admin/suspend?reason=maintenance')).status).toBe(200);
    await first.stop();

    commitManifest(repo, 'gamma', 'changed while the daemon was down');
    const second = await startTestDaemon(config, cleanup, { daemon: { adminToken: TOKEN } });
    await eventually(async () => (await second.metric('manifest_sync_commits_behind')) === 1);
    expect(await second.metric('manifest_sync_suspended')).toBe(1);
    expect((await readyReasons(second.url)).reasons.join(' ')).toMatch(/suspended .*maintenance/);
    expect(await latestVersion(second.url, 'gamma')).toBe('1.0.0');
    await second.stop();

    const env = testDb.url ? { DATABASE_URL: testDb.url } : {};
    const status = await runCli(['status', '--repo', repo.path, '--data-dir', testDb.dataDir], {
      env,
    });
    expect(status.stdout).toMatch(/SUSPENDED since .* by admin-api: maintenance/);
    expect(status.stdout).toMatch(/behind\s+1 commit/);
  });

  it('repairs a tampered pointer on SIGHUP, and reports the forced resync', async () => {
    const repo = createManifestRepo(cleanup);
    commitManifest(repo, 'delta');
    commitManifest(repo, 'delta', 'second');
    const env = {
      ...(testDb.url ? { DATABASE_URL: testDb.url } : {}),
      MANIFEST_SYNC_ADMIN_TOKEN: TOKEN,
    };
    const common = ['--repo', repo.path, '--data-dir', testDb.dataDir];
    expect((await runCli(['sync', ...common], { env })).code).toBe(0);
    // An operator's mistake: the pointer moved back to 1.0.0 by hand.
    await testDb.exec(`UPDATE connector SET latest_version_id =
      (SELECT v.id FROM connectorversion v JOIN connector c ON c.id = v.connector_id
       WHERE c.slug = 'delta' AND v.version = '1.0.0') WHERE slug = 'delta'`);

    const daemon = startCliProcess(
      ['daemon', ...common, '--http-port', '0', '--host', '127.0.0.1', '--poll-interval', '60'],
      {
        env,
      },
    );
    cleanup.defer(async () => {
      daemon.kill('SIGKILL');
      await daemon.result;
    });
    // A daemon process opening the store under load: 10 s was not always enough.
    const url = await eventually(async () => {
      const started = /"url":"(http:\/\/[^"]+)","database"/.exec(
        (daemon as { stderr?: string }).stderr ?? '',
      );
      return started?.[1] ?? (await peekUrl(daemon));
    }, 30_000);
    await eventually(async () => (await readyReasons(url)).status === 200);
    expect(await latestVersion(url, 'delta')).toBe('1.0.0'); // a plain sync does not look at drift

    daemon.kill('SIGHUP');
    await eventually(async () => (await latestVersion(url, 'delta')) === '1.0.1');
    expect(await readMetric(url, 'manifest_sync_resyncs_total', { trigger: 'signal' })).toBe(1);
    const { versions } = (await (await fetch(`${url}/api/connectors/delta/versions`)).json()) as {
      versions: unknown[];
    };
    expect(versions).toHaveLength(2); // pointed back, not duplicated

    daemon.kill('SIGTERM');
    expect((await daemon.result).code).toBe(0);
    const status = await runCli(['status', ...common], { env });
    expect(status.stdout).toMatch(/last forced .*\(signal\): applied/);
  });
});

/** The daemon's URL from its `daemon started` log line on stderr. */
const stderrOf = new WeakMap<object, string>();
async function peekUrl(daemon: ReturnType<typeof startCliProcess>): Promise<string | null> {
  if (!stderrOf.has(daemon)) {
    stderrOf.set(daemon, '');
    daemon.child.stderr?.on('data', (chunk: Buffer | string) => {
      stderrOf.set(daemon, (stderrOf.get(daemon) ?? '') + chunk.toString());
    });
  }
  const match = /"url":"(http:\/\/[^"]+)"[^\n]*"msg":"daemon started"/.exec(
    stderrOf.get(daemon) ?? '',
  );
  return match?.[1] ?? null;
}
