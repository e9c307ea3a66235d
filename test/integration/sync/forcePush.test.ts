import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAction, buildManifest } from '../../helpers/manifestBuilder.js';
import { createSyncHarness, type SyncHarness } from './harness.js';

let h: SyncHarness;
/** The head before the force push. */
let oldHead: string;
/** Commits by name, across the tests. */
const shas: Record<string, string> = {};
beforeAll(async () => {
  h = await createSyncHarness();
});
afterAll(async () => {
  await h.close();
});

const gmail = buildManifest();
const slack = buildManifest({ slug: 'slack', name: 'Slack' });
const notion = buildManifest({ slug: 'notion', name: 'Notion' });

describe('a force push', () => {
  it('reconciles the new head without failing or deleting, logs the rewrite, marks lost commits', async () => {
    h.writeManifest(gmail);
    const c1 = h.commit('add gmail');
    h.writeManifest({ ...gmail, description: 'Gmail, reworded.' });
    const c2 = h.commit('reword gmail');
    h.writeManifest({
      ...gmail,
      description: 'Gmail, reworded.',
      actions: { ...gmail.actions, archive: buildAction({ name: 'Archive' }) },
    });
    h.writeManifest(slack);
    const c3 = h.commit('gmail archive action, slack');
    oldHead = c3;
    Object.assign(shas, { c1, c2, c3 });
    await h.sync();
    expect((await h.versions('gmail')).map((v) => v.version)).toEqual(['1.0.0', '1.0.1', '1.1.0']);
    const before = await h.counts();

    // Rewrite: back to c1, then different commits.
    h.repo.resetHard(c1);
    h.writeManifest({ ...gmail, category: 'Email' });
    const d1 = h.commit('recategorise gmail');
    h.writeManifest(notion);
    const head = h.commit('add notion');
    shas.head = head;
    expect((await h.status()).behind).toBeNull();

    const report = await h.sync();
    expect(report).toMatchObject({ historyRewritten: true, from: c3, to: head });
    expect(report.decisions.map((d) => [d.action, d.slug, d.from, d.to]).sort()).toEqual([
      ['create', 'notion', null, '1.0.0'],
      ['deprecate', 'slack', '1.0.0', '1.0.0'],
      // The head's gmail lacks c3's action: a major change against 1.1.0, numbered past every version.
      ['version', 'gmail', '1.1.0', '2.0.0'],
    ]);

    // Nothing deleted; one new gmail version, notion created, slack deprecated.
    const after = await h.counts();
    expect(after).toMatchObject({
      connector: before.connector + 1,
      connectorversion: before.connectorversion + 2,
      sync_refusal: 0,
    });
    const gmailVersions = await h.versions('gmail');
    expect(gmailVersions.map((v) => [v.version, v.commit_sha, v.is_latest])).toEqual([
      ['1.0.0', c1, false],
      ['1.0.1', c2, false],
      ['1.1.0', c3, false],
      ['2.0.0', head, true],
    ]);
    expect(gmailVersions[3]?.manifest.category).toBe('Email');
    expect(await h.connector('slack')).toMatchObject({ status: 'deprecated' });
    expect((await h.versions('slack')).map((v) => v.commit_sha)).toEqual([c3]);

    const commits = await h.query<{ sha: string; reachable: boolean }>(
      'SELECT sha, reachable FROM sync_commit',
    );
    expect(new Map(commits.map((c) => [c.sha, c.reachable]))).toEqual(
      new Map([
        [c1, true],
        [c2, false],
        [c3, false],
        [head, true],
      ]),
    );
    expect(d1).not.toBe(head);
    const [run] = await h.query(
      'SELECT kind, outcome, from_revision, to_revision, history_rewritten FROM sync_run ORDER BY started_at DESC LIMIT 1',
    );
    expect(run).toEqual({
      kind: 'sync',
      outcome: 'applied',
      from_revision: c3,
      to_revision: head,
      history_rewritten: true,
    });
    expect(await h.status()).toMatchObject({ cursor: head, head, behind: 0 });
  });

  it('goes back to replaying commits after the rewrite', async () => {
    const before = await h.counts();
    expect(await h.sync()).toMatchObject({ historyRewritten: false, commitsApplied: 0 });
    expect(await h.counts()).toEqual(before);

    h.writeManifest({ ...slack, description: 'Slack is back.' });
    const back = h.commit('slack is back');
    shas.back = back;
    const report = await h.sync();
    expect(report).toMatchObject({ historyRewritten: false, commitsApplied: 1 });
    expect(await h.connector('slack')).toMatchObject({ status: 'beta' });
    expect((await h.versions('slack')).map((v) => [v.version, v.commit_sha, v.is_latest])).toEqual([
      ['1.0.0', oldHead, false],
      ['1.0.1', back, true],
    ]);
  });

  it('pushing the old history back releases its content as new versions (versions only go up) and marks its commits reachable again', async () => {
    const before = await h.counts();
    h.repo.resetHard(oldHead);
    const report = await h.sync();
    expect(report.historyRewritten).toBe(true);
    expect(report.decisions.map((d) => [d.action, d.slug, d.from, d.to]).sort()).toEqual([
      ['deprecate', 'notion', '1.0.0', '1.0.0'],
      // A revert to an older version's content is a new version, numbered past every one.
      ['version', 'gmail', '2.0.0', '2.1.0'],
      ['version', 'slack', '1.0.1', '1.0.2'],
    ]);
    expect(await h.counts()).toEqual({
      ...before,
      connectorversion: before.connectorversion + 2,
      sync_run: before.sync_run + 1,
    });
    const gmailVersions = await h.versions('gmail');
    expect(gmailVersions.map((v) => [v.version, v.commit_sha, v.is_latest])).toEqual([
      ['1.0.0', shas.c1, false],
      ['1.0.1', shas.c2, false],
      ['1.1.0', shas.c3, false],
      ['2.0.0', shas.head, false],
      ['2.1.0', shas.c3, true],
    ]);
    expect(gmailVersions[4]?.content_hash).toBe(gmailVersions[2]?.content_hash);
    const commits = await h.query<{ sha: string; reachable: boolean }>(
      'SELECT sha, reachable FROM sync_commit',
    );
    expect(new Map(commits.map((c) => [c.sha, c.reachable]))).toEqual(
      new Map([
        [shas.c1, true],
        [shas.c2, true],
        [shas.c3, true],
        [shas.head, false],
        [shas.back, false],
      ]),
    );
  });
});
