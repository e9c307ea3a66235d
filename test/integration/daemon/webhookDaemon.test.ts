import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTestDatabase } from '../../helpers/testDatabase.js';
import {
  Cleanup,
  commitManifest,
  createManifestRepo,
  onPostgres,
  passCount,
  startTestDaemon,
  testConfig,
} from './harness.js';

const backend = onPostgres ? 'postgres' : 'embedded';
const secret = 'daemon-webhook-secret';

const sign = (body: string, key = secret) =>
  `sha256=${createHmac('sha256', key).update(body).digest('hex')}`;

const pushBody = (ref: string, after: string) =>
  JSON.stringify({ ref, after, repository: { full_name: 'acme/registry' } });

function postWebhook(url: string, body: string, headers: Record<string, string>) {
  return fetch(`${url}/webhook`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', 'x-github-event': 'push', ...headers },
  });
}

describe(`the webhook of a remote-mode daemon (${backend})`, () => {
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  it('refuses a forged signature (401, no pass), applies a signed push to the branch (202)', async () => {
    const work = createManifestRepo(cleanup);
    const first = commitManifest(work, 'gmail');
    const bareDir = mkdtempSync(join(tmpdir(), 'manifest-sync-bare-'));
    cleanup.defer(() => rmSync(bareDir, { recursive: true, force: true }));
    const bare = join(bareDir, 'registry.git');
    execFileSync('git', ['clone', '-q', '--bare', work.path, bare]);
    work.git('remote', 'add', 'origin', bare);

    const testDb = await createTestDatabase();
    cleanup.defer(() => testDb.drop());
    // Poll interval 60 s and no watcher in remote mode: only the webhook can bring a push in.
    const daemon = await startTestDaemon(testConfig(work, testDb), cleanup, {
      daemon: { remote: `file://${bare}`, webhookSecret: secret },
    });
    await vi.waitFor(
      async () => expect((await daemon.state()).versions.map((v) => v.commit_sha)).toEqual([first]),
      { timeout: 10_000, interval: 20 },
    );
    await vi.waitFor(async () => expect((await fetch(`${daemon.url}/readyz`)).status).toBe(200), {
      timeout: 5_000,
      interval: 20,
    });

    const second = commitManifest(work, 'gmail', 'Send, search and label email, now with drafts.');
    work.git('push', '-q', 'origin', 'main');
    const passesBefore = await passCount(daemon.url);

    const body = pushBody('refs/heads/main', second);
    const forged = await postWebhook(daemon.url, body, {
      'x-hub-signature-256': sign(body, 'not-the-secret'),
    });
    expect(forged.status).toBe(401);
    const unsigned = await postWebhook(daemon.url, body, {});
    expect(unsigned.status).toBe(401);
    const otherBody = pushBody('refs/heads/feature', second);
    const otherBranch = await postWebhook(daemon.url, otherBody, {
      'x-hub-signature-256': sign(otherBody),
    });
    expect(otherBranch.status).toBe(202);
    expect(await otherBranch.json()).toMatchObject({ status: 'ignored' });

    // Long enough for a nudged pass to start, fetch and apply on either backend.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await passCount(daemon.url)).toBe(passesBefore);
    expect((await daemon.state()).versions.map((v) => v.commit_sha)).toEqual([first]);

    const sent = performance.now();
    const good = await postWebhook(daemon.url, body, { 'x-hub-signature-256': sign(body) });
    expect(good.status).toBe(202);
    expect(await good.json()).toEqual({ status: 'accepted' });
    await vi.waitFor(
      async () =>
        expect((await daemon.state()).versions.map((v) => v.commit_sha)).toEqual([first, second]),
      { timeout: 5_000, interval: 10 },
    );
    console.log(
      `[daemon webhook, ${backend}] webhook → fetched and applied: ${Math.round(performance.now() - sent)} ms`,
    );
    // The pass is counted when it ends (after the status read that follows the apply).
    await vi.waitFor(
      async () => expect(await passCount(daemon.url)).toBeGreaterThan(passesBefore),
      {
        timeout: 5_000,
        interval: 10,
      },
    );
    expect((await daemon.state()).cursors).toEqual([second]);
  });
});
