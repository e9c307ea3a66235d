import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openRepository } from '../../../src/git/index.js';
import { hashManifest } from '../../../src/manifest/index.js';
import { rebind } from '../../../src/sync/rebind.js';
import { buildAction, buildManifest } from '../../helpers/manifestBuilder.js';
import { createSyncHarness, type SyncHarness, silentLogger } from './harness.js';

let h: SyncHarness;
beforeEach(async () => {
  h = await createSyncHarness();
});
afterEach(async () => {
  await h.close();
});

const ALICE = { name: 'Alice Author', email: 'alice@example.com' };
const AT = new Date('2025-06-01T12:00:00Z');

const gmail = buildManifest();
/** Gmail with a second action, so that removing one is a major change. */
const gmail2 = buildManifest({
  actions: { ...gmail.actions, list_labels: buildAction({ name: 'List labels' }) },
});

describe('sync rules', () => {
  it('creates a platform connector and its first version, with the commit that made it', async () => {
    h.writeManifest(gmail);
    h.writeManifest(buildManifest({ slug: 'slack', name: 'Slack', version: undefined }));
    const sha = h.commit('Add gmail and slack\n\nTwo connectors.', { author: ALICE, date: AT });

    const report = await h.sync();
    expect(report).toMatchObject({ commitsApplied: 1, connectorsCreated: 2, versionsCreated: 2 });

    const connector = await h.connector('gmail');
    expect(connector).toMatchObject({
      name: 'Gmail',
      status: 'beta',
      is_platform: true,
      owner_id: null,
    });
    const [first] = await h.versions('gmail');
    expect(first).toMatchObject({
      version: '1.0.0',
      commit_sha: sha,
      content_hash: hashManifest(gmail),
      bump: 'none',
      reasons: ['first version: 1.0.0, as the manifest sets'],
      is_latest: true,
    });
    expect(first?.manifest).toEqual(gmail);
    expect(connector?.latest_version_id).toBe(first?.id);
    // No `version` in the file: the first version is 1.0.0, and the stored manifest carries it.
    const [slack] = await h.versions('slack');
    expect(slack).toMatchObject({ version: '1.0.0', commit_sha: sha });
    expect(slack?.manifest.version).toBe('1.0.0');

    const commits = await h.query<Record<string, unknown>>(
      'SELECT sha, author_name, author_email, authored_at, committed_at, message, reachable FROM sync_commit',
    );
    expect(commits).toEqual([
      {
        sha,
        author_name: 'Alice Author',
        author_email: 'alice@example.com',
        authored_at: AT,
        committed_at: AT,
        message: 'Add gmail and slack\n\nTwo connectors.',
        reachable: true,
      },
    ]);
  });

  it('numbers changed content with the version engine and moves the latest pointer', async () => {
    h.writeManifest(gmail2);
    const c1 = h.commit('gmail with two actions');
    const { list_labels: _, ...oneAction } = gmail2.actions;
    h.writeManifest({ ...gmail2, actions: oneAction }); // action removed: major
    const c2 = h.commit('drop list_labels');
    h.writeManifest({ ...gmail2, actions: oneAction, description: 'Email through Gmail.' }); // patch
    const c3 = h.commit('reword');
    h.writeManifest({
      ...gmail2,
      description: 'Email through Gmail.',
      actions: { ...oneAction, archive: buildAction({ name: 'Archive' }) }, // action added: minor
    });
    const c4 = h.commit('add archive');

    const report = await h.sync();
    expect(report.commitsApplied).toBe(4);
    expect(report.decisions.map((d) => [d.revision, d.action, d.from, d.to, d.bump])).toEqual([
      [c1, 'create', null, '1.0.0', 'none'],
      [c2, 'version', '1.0.0', '2.0.0', 'major'],
      [c3, 'version', '2.0.0', '2.0.1', 'patch'],
      [c4, 'version', '2.0.1', '2.1.0', 'minor'],
    ]);

    const versions = await h.versions('gmail');
    expect(versions.map((v) => [v.version, v.commit_sha, v.bump, v.is_latest])).toEqual([
      ['1.0.0', c1, 'none', false],
      ['2.0.0', c2, 'major', false],
      ['2.0.1', c3, 'patch', false],
      ['2.1.0', c4, 'minor', true],
    ]);
    const major = versions[1];
    // The file still says 1.0.0; the stored manifest carries the version the engine decided.
    expect(major?.manifest.version).toBe('2.0.0');
    expect(major?.manifest.actions).toEqual(oneAction);
    expect(major?.reasons?.[0]).toMatch(/list_labels/);
    expect(major?.reasons?.at(-1)).toMatch(/not above the latest 1\.0\.0.*major.*using 2\.0\.0/);
    expect((await h.connector('gmail'))?.latest_version_id).toBe(versions[3]?.id);
  });

  it('ignores formatting and key order, and a rename that keeps the slug', async () => {
    h.writeManifest(gmail);
    h.commit('add gmail');
    await h.sync();
    const before = await h.counts();

    // Same content: keys reversed, tabs, no trailing newline.
    const reversed = Object.fromEntries(Object.entries(gmail).reverse());
    h.repo.write('manifests/gmail.json', JSON.stringify(reversed, null, '\t'));
    h.commit('reformat');
    let report = await h.sync();
    expect(report).toMatchObject({ commitsApplied: 1, versionsCreated: 0, decisions: [] });

    // The manifests move to another folder (git sees renames). Synced as recorded, the move would
    // delete every manifest; rebound (forced: the move is pending) before it, it changes nothing.
    h.repo.git('mv', 'manifests', 'registry');
    const moved = h.commit('move the manifests to registry/');
    expect(h.repo.git('show', '--stat', '-M', '--format=', moved)).toMatch(/=> registry/);
    await expect(h.sync({}, { path: 'registry' })).rejects.toThrow(/contradicts the recorded/);
    const repository = await openRepository({ path: h.repo.path });
    const context = { config: h.config, repository, database: await h.db(), logger: silentLogger };
    await expect(rebind(context, { branch: null, path: 'registry', force: false })).rejects.toThrow(
      /1 commit\(s\) .* not applied yet/,
    );
    await rebind(context, { branch: null, path: 'registry', force: true });
    await repository.close();
    report = await h.sync();
    expect(report).toMatchObject({ commitsApplied: 1, versionsCreated: 0, decisions: [] });

    expect(await h.counts()).toEqual({ ...before, sync_run: before.sync_run + 2 });
    expect(await h.connector('gmail')).toMatchObject({ status: 'beta' });
    expect((await h.status()).cursor).toBe(moved);
  });

  it('deprecates a deleted manifest, keeps its rows, and revives it when the file comes back', async () => {
    h.writeManifest(gmail);
    h.commit('add gmail');
    await h.sync();
    const [v1] = await h.versions('gmail');

    h.repo.remove('manifests/gmail.json');
    h.commit('remove gmail');
    let report = await h.sync();
    expect(report.decisions.map((d) => [d.action, d.slug])).toEqual([['deprecate', 'gmail']]);
    expect(await h.connector('gmail')).toMatchObject({
      status: 'deprecated',
      latest_version_id: v1?.id,
    });
    expect(await h.versions('gmail')).toHaveLength(1);

    // Restored with the same content: status back, no duplicate version.
    h.writeManifest(gmail);
    h.commit('restore gmail');
    report = await h.sync();
    expect(report.decisions.map((d) => [d.action, d.slug, d.to])).toEqual([
      ['revive', 'gmail', '1.0.0'],
    ]);
    expect(await h.connector('gmail')).toMatchObject({ status: 'beta', latest_version_id: v1?.id });
    expect((await h.versions('gmail')).map((v) => v.version)).toEqual(['1.0.0']);

    // Deleted and restored with new content: revived with a new version.
    h.repo.remove('manifests/gmail.json');
    h.commit('remove gmail again');
    await h.sync();
    h.writeManifest({ ...gmail, description: 'Gmail, back again.' });
    const back = h.commit('restore gmail, reworded');
    await h.sync();
    const versions = await h.versions('gmail');
    expect(versions.map((v) => [v.version, v.is_latest])).toEqual([
      ['1.0.0', false],
      ['1.0.1', true],
    ]);
    expect(versions[1]?.commit_sha).toBe(back);
    expect(await h.connector('gmail')).toMatchObject({ status: 'beta' });
  });

  it('treats a rename to a new slug as a new connector and a deprecated one', async () => {
    h.writeManifest(gmail);
    h.commit('add gmail');
    await h.sync();
    h.repo.remove('manifests/gmail.json');
    h.writeManifest({ ...gmail, slug: 'google-mail', name: 'Google Mail' });
    const renamed = h.commit('rename gmail to google-mail');
    const report = await h.sync();
    expect(report.decisions.map((d) => [d.action, d.slug]).sort()).toEqual([
      ['create', 'google-mail'],
      ['deprecate', 'gmail'],
    ]);
    expect(await h.connector('gmail')).toMatchObject({ status: 'deprecated' });
    expect(await h.versions('google-mail')).toMatchObject([
      { version: '1.0.0', commit_sha: renamed },
    ]);
  });

  it("refuses a slug held by a user's connector and never touches that connector", async () => {
    await h.query(`INSERT INTO connector (id, slug, name, status, is_platform, owner_id, created_at)
      VALUES ('1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b', 'my-internal-crm', 'My internal CRM', 'draft',
              false, NULL, '2025-03-02 10:00:00')`);
    const before = await h.query("SELECT * FROM connector WHERE slug = 'my-internal-crm'");
    h.writeManifest(buildManifest({ slug: 'my-internal-crm', name: 'Internal CRM' }));
    h.writeManifest(gmail);
    const sha = h.commit('add a clashing manifest and gmail');

    const report = await h.sync();
    expect(report.refusals).toMatchObject([
      { file: 'manifests/my-internal-crm.json', code: 'slug-conflict', revision: sha },
    ]);
    expect(report.versionsCreated).toBe(1);
    expect(await h.query("SELECT * FROM connector WHERE slug = 'my-internal-crm'")).toEqual(before);
    expect(await h.versions('my-internal-crm')).toEqual([]);
    expect(await h.query('SELECT commit_sha, file, code, resolved_by FROM sync_refusal')).toEqual([
      {
        commit_sha: sha,
        file: 'manifests/my-internal-crm.json',
        code: 'slug-conflict',
        resolved_by: null,
      },
    ]);
    // A later sync does not retry or touch it either.
    h.writeManifest({ ...gmail, description: 'Gmail.' });
    h.commit('touch gmail only');
    await h.sync();
    expect(await h.query("SELECT * FROM connector WHERE slug = 'my-internal-crm'")).toEqual(before);
  });
});
