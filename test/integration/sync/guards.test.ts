import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { openRepository } from '../../../src/git/index.js';
import { syncOnce } from '../../../src/sync/syncOnce.js';
import { buildAction, buildManifest } from '../../helpers/manifestBuilder.js';
import { createSyncHarness, type SyncHarness, silentLogger } from './harness.js';

let harnesses: SyncHarness[] = [];
async function harness(): Promise<SyncHarness> {
  const h = await createSyncHarness();
  harnesses.push(h);
  return h;
}
afterEach(async () => {
  await Promise.all(harnesses.map((h) => h.close()));
  harnesses = [];
});

const gmail = buildManifest();

/** A copy of the repository as it is now: a clone that will fall behind. */
function snapshotClone(h: SyncHarness): string {
  const dir = mkdtempSync(join(tmpdir(), 'manifest-sync-clone-'));
  cpSync(h.repo.path, dir, { recursive: true });
  return dir;
}

describe('guards against undoing newer work', () => {
  it('refuses a resync from a checkout behind the database, and a sync there does nothing', async () => {
    const h = await harness();
    h.writeManifest(gmail);
    h.commit('add gmail');
    const stale = snapshotClone(h);
    try {
      h.writeManifest({ ...gmail, description: 'newer' });
      h.commit('newer gmail');
      await h.sync();
      const before = await h.counts();
      const staleConfig = loadConfig({ ...h.flags, repo: stale }, {}, stale);
      const repository = await openRepository({ path: stale });
      try {
        const context = {
          config: staleConfig,
          repository,
          database: await h.db(),
          logger: silentLogger,
        };
        // The clone lacks the database's revision: a person must say whether to fetch or force.
        await expect(syncOnce(context, { kind: 'resync' })).rejects.toThrow(/this clone is behind/);
        await expect(syncOnce(context, { kind: 'sync' })).rejects.toThrow(/this clone is behind/);
        // Fetched but not merged: the database is ahead of the checked-out branch.
        execFileSync('git', ['fetch', '-q', h.repo.path, 'main:refs/remotes/origin/main'], {
          cwd: stale,
        });
        await expect(syncOnce(context, { kind: 'resync' })).rejects.toThrow(
          /ahead of this checkout/,
        );
        expect((await syncOnce(context, { kind: 'sync' })).commitsApplied).toBe(0);
      } finally {
        await repository.close();
      }
      // Only the run log grew (the refused attempts are recorded as failed runs).
      expect({ ...(await h.counts()), sync_run: 0 }).toEqual({ ...before, sync_run: 0 });
      expect((await h.versions('gmail')).find((v) => v.is_latest)?.version).toBe('1.0.1');
    } finally {
      rmSync(stale, { recursive: true, force: true });
    }
  });

  it('stops with a clear message when the cursor is not in the repository; resync reconciles', async () => {
    const h = await harness();
    h.writeManifest(gmail);
    h.commit('add gmail');
    await h.sync();
    await h.query(`UPDATE sync_cursor SET revision = '${'ab'.repeat(20)}'`);
    await expect(h.sync()).rejects.toThrow(
      /is not in .*: this clone is behind the database .*resync --force/,
    );
    await expect(h.sync({ kind: 'resync' })).rejects.toThrow(/resync --force/);
    const report = await h.sync({ kind: 'resync', force: true });
    expect(report.historyRewritten).toBe(true);
    expect((await h.status()).behind).toBe(0);
  });

  it('refuses --since before the cursor (it would create versions again) but allows it in a dry run', async () => {
    const h = await harness();
    h.writeManifest(gmail);
    const first = h.commit('add gmail');
    await h.sync();
    h.writeManifest({ ...gmail, description: 'second' });
    h.commit('second');
    const real = await h.sync();
    await expect(h.sync({ since: first })).rejects.toThrow(
      /--since .* is before the last applied revision/,
    );
    // A dry run may look: it plans from the state at `first`, so it shows what the sync wrote.
    const dry = await h.sync({ since: first, dryRun: true });
    expect(dry.commitsApplied).toBe(1);
    expect(dry.decisions).toEqual(real.decisions);
    expect(dry.decisions.map((d) => `${d.from}→${d.to}`)).toEqual(['1.0.0→1.0.1']);
    expect((await h.versions('gmail')).map((v) => v.version)).toEqual(['1.0.0', '1.0.1']);
  });

  it('never deprecates, on resync, a connector this repository does not manage', async () => {
    const h = await harness();
    h.writeManifest(gmail);
    h.commit('add gmail');
    await h.sync();
    await h.query(`INSERT INTO connector (id, slug, name, status, is_platform)
      VALUES ('00000000-0000-4000-8000-00000000beef', 'made-by-hand', 'Made by hand', 'stable', true)`);
    h.repo.remove('manifests/gmail.json');
    h.commit('remove gmail');
    await h.sync({ kind: 'resync' });
    expect((await h.connector('gmail'))?.status).toBe('deprecated');
    expect((await h.connector('made-by-hand'))?.status).toBe('stable');
  });

  it('stops applying under the lock once suspended: sync exits 6 and writes nothing', async () => {
    const h = await harness();
    h.writeManifest(gmail);
    h.commit('add gmail');
    await h.sync();
    const suspend = await h.cli('suspend', '--reason', 'incident');
    expect(suspend.code).toBe(0);
    h.writeManifest({ ...gmail, description: 'while suspended' });
    h.commit('while suspended');
    const refused = await h.cli('sync');
    expect(refused.code).toBe(6);
    expect(refused.stderr).toMatch(/suspended .* by cli:.*: incident; `manifest-sync resume`/);
    expect(await h.versions('gmail')).toHaveLength(1);
    expect((await h.cli('resume')).code).toBe(0);
    expect((await h.cli('sync')).code).toBe(0);
    expect(await h.versions('gmail')).toHaveLength(2);
  });
});

describe('refusals and dry runs', () => {
  it('keeps one open refusal per problem: a new refusal of the same file closes the old one', async () => {
    const h = await harness();
    h.writeManifest({ ...gmail, status: 'live' });
    h.commit('bad status');
    await h.sync();
    h.writeManifest({ ...gmail, status: 'shipping' });
    const second = h.commit('still a bad status');
    await h.sync();
    const open = (await h.status()).refusals;
    expect(open).toHaveLength(1);
    expect(open[0]?.commit_sha).toBe(second);
    expect(open[0]?.message).toMatch(/shipping/);
  });

  it('plans a dry run across a pointer repair and a later change without failing', async () => {
    const h = await harness();
    h.writeManifest(gmail);
    h.commit('add gmail');
    const changed = {
      ...gmail,
      actions: { ...gmail.actions, archive: buildAction({ name: 'Archive' }) },
    };
    h.writeManifest(changed);
    h.commit('add archive');
    await h.sync();
    // Drift: the pointer moved back to 1.0.0 by hand.
    await h.query(`UPDATE connector SET latest_version_id =
      (SELECT id FROM connectorversion WHERE version = '1.0.0') WHERE slug = 'gmail'`);
    // Same content as 1.1.0, formatted differently: the pointer goes back to 1.1.0...
    h.repo.write('manifests/gmail.json', `${JSON.stringify(changed, null, 4)}\n`);
    h.commit('reformat');
    // ...and the next commit is diffed against 1.1.0's manifest.
    h.writeManifest({ ...changed, description: 'then reworded' });
    h.commit('reword');
    const dry = await h.sync({ dryRun: true });
    expect(dry.decisions.map((d) => `${d.action} ${d.from}→${d.to}`)).toEqual([
      'repoint 1.0.0→1.1.0',
      'version 1.1.0→1.1.1',
    ]);
  });
});
