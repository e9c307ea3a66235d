import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/testDatabase.js';
import {
  Cleanup,
  commitManifest,
  createManifestRepo,
  startTestDaemon,
  testConfig,
} from '../daemon/harness.js';

const TOKEN = 'operator-secret-token';
let testDb: TestDatabase;
const cleanup = new Cleanup();

beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterEach(() => cleanup.run());
afterAll(() => testDb.drop());

function admin(url: string, path: string, token: string | null = TOKEN, actor?: string) {
  return fetch(`${url}${path}`, {
    method: 'POST',
    headers: {
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
      ...(actor ? { 'x-actor': actor } : {}),
    },
  });
}

async function versionsOf(url: string, slug: string) {
  const response = await fetch(`${url}/api/connectors/${slug}/versions`);
  if (!response.ok) return [];
  return (
    (await response.json()) as {
      versions: { version: string; latest: boolean; yanked?: boolean }[];
    }
  ).versions;
}

describe('operators through the daemon', () => {
  it('rollback over the admin API pins: a new commit reaches the running daemon, its version is written, the pointer stays', async () => {
    const repo = createManifestRepo(cleanup);
    commitManifest(repo, 'omega', 'first');
    commitManifest(repo, 'omega', 'second');
    const daemon = await startTestDaemon(testConfig(repo, testDb), cleanup, {
      daemon: { adminToken: TOKEN },
    });
    await vi.waitFor(async () => expect((await versionsOf(daemon.url, 'omega')).length).toBe(2), {
      timeout: 60_000,
      interval: 50,
    });

    // Refused without the token, and for hostile input, before anything is read.
    expect((await admin(daemon.url, '/admin/rollback?slug=omega&reason=r', null)).status).toBe(401);
    expect((await admin(daemon.url, '/admin/rollback?slug=..%2Fx&reason=r')).status).toBe(400);
    expect((await admin(daemon.url, '/admin/rollback?slug=omega')).status).toBe(400);
    const unknown = await admin(daemon.url, '/admin/rollback?slug=nobody&reason=r');
    expect([unknown.status, ((await unknown.json()) as { code: string }).code]).toEqual([
      404,
      'unknown-connector',
    ]);

    const rolled = await admin(
      daemon.url,
      '/admin/rollback?slug=omega&reason=incident%209',
      TOKEN,
      'carol',
    );
    expect(rolled.status).toBe(200);
    expect(await rolled.json()).toMatchObject({
      audit: { action: 'rollback', fromVersion: '1.0.1', toVersion: '1.0.0' },
    });

    commitManifest(repo, 'omega', 'third, while pinned');
    await vi.waitFor(async () => expect((await versionsOf(daemon.url, 'omega')).length).toBe(3), {
      timeout: 60_000,
      interval: 50,
    });
    const versions = await versionsOf(daemon.url, 'omega');
    expect(versions.map((v) => [v.version, v.latest])).toEqual([
      ['1.0.2', false],
      ['1.0.1', false],
      ['1.0.0', true],
    ]);

    const log = await (await fetch(`${daemon.url}/api/audit-log?slug=omega`)).json();
    expect(log).toMatchObject({
      total: 1,
      actions: [{ action: 'rollback', actor: 'carol', via: 'admin-api', reason: 'incident 9' }],
    });
    expect((await fetch(`${daemon.url}/api/audit-log?limit=0`)).status).toBe(400);
    const page = await (await fetch(`${daemon.url}/`)).text();
    expect(page).toMatch(/<section id="actions">[\s\S]*carol[\s\S]*incident 9/);

    // The CLI's --daemon form: a refusal keeps its exit code; an action is recorded with --actor.
    const env = { MANIFEST_SYNC_ADMIN_TOKEN: TOKEN };
    const common = ['--repo', repo.path, '--daemon', daemon.url];
    const refused = await runCli(['yank', 'omega@1.0.0', '--reason', 'r', ...common], { env });
    expect([refused.code, refused.stderr]).toEqual([22, expect.stringMatching(/pinned by carol/)]);
    const unpinned = await runCli(
      ['unpin', 'omega', '--reason', 'fixed', '--actor', 'dave', ...common],
      { env },
    );
    expect(unpinned.code).toBe(0);
    await vi.waitFor(
      async () => {
        const now = await versionsOf(daemon.url, 'omega');
        expect(now.find((v) => v.latest)?.version).toBe('1.0.2');
      },
      { timeout: 10_000 },
    );
    const after = (await (await fetch(`${daemon.url}/api/audit-log`)).json()) as {
      actions: { actor: string }[];
    };
    expect(after.actions.map((a) => a.actor)).toEqual(['dave', 'carol']);
  }, 240_000);
});
