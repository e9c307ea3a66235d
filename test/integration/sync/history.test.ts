import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildManifest } from '../../helpers/manifestBuilder.js';
import { createSyncHarness, type SyncHarness } from './harness.js';

let h: SyncHarness;
beforeEach(async () => {
  h = await createSyncHarness();
});
afterEach(async () => {
  await h.close();
});

const SLUGS = ['gmail', 'slack', 'notion', 'stripe'] as const;
const manifestOf = (slug: string, revision: number) =>
  buildManifest({ slug, name: slug.toUpperCase(), description: `${slug}, revision ${revision}.` });

describe('a first sync of a whole history', () => {
  it('writes one version per changed connector per commit, each linked to its commit; a second sync writes nothing', async () => {
    // 14 commits, each editing some of the connectors (bit k of the mask: SLUGS[k]; 0: none).
    const MASKS = [
      0b1111, 0b0001, 0b0110, 0, 0b1000, 0b0011, 0b1111, 0, 0b0100, 0b1010, 0b0001, 0, 0b0101,
      0b1110,
    ];
    const revision = new Map<string, number>();
    const expected = new Map<string, string[]>(); // sha -> slugs that got a version
    for (const [i, mask] of MASKS.entries()) {
      const touched = SLUGS.filter((_, k) => (mask >> k) & 1);
      for (const slug of touched) {
        revision.set(slug, (revision.get(slug) ?? 0) + 1);
        h.writeManifest(manifestOf(slug, revision.get(slug) ?? 0));
      }
      if (i % 5 === 4) h.repo.write(`docs/${i}.md`, 'not a manifest\n');
      const sha = h.commit(`commit ${i}`);
      expected.set(sha, [...touched].sort());
    }
    const withManifests = [...expected].filter(([, slugs]) => slugs.length > 0);
    expect(withManifests).toHaveLength(11);

    const report = await h.sync();
    expect(report.commitsApplied).toBe(withManifests.length);
    const totalVersions = [...expected.values()].reduce((n, slugs) => n + slugs.length, 0);
    expect(report.versionsCreated).toBe(totalVersions);

    const rows = await h.query<{ commit_sha: string; slugs: string[] }>(`
      SELECT v.commit_sha, array_agg(c.slug ORDER BY c.slug) AS slugs
      FROM connectorversion v JOIN connector c ON c.id = v.connector_id GROUP BY v.commit_sha`);
    expect(new Map(rows.map((r) => [r.commit_sha, r.slugs]))).toEqual(new Map(withManifests));
    // Every version's commit is recorded; commits without a version are not.
    const commits = await h.query<{ sha: string }>('SELECT sha FROM sync_commit ORDER BY sha');
    expect(commits.map((c) => c.sha)).toEqual(withManifests.map(([sha]) => sha).sort());
    // Each connector: versions 1.0.0, 1.0.1, ... one per revision of its file; latest is the last.
    for (const slug of SLUGS) {
      const versions = await h.versions(slug);
      const n = revision.get(slug) ?? 0;
      expect(versions.map((v) => v.version)).toEqual(
        Array.from({ length: n }, (_, k) => `1.0.${k}`),
      );
      expect(versions.at(-1)?.is_latest).toBe(true);
      expect(versions.at(-1)?.manifest.description).toBe(`${slug}, revision ${n}.`);
    }
    const head = h.repo.revParse();
    expect((await h.status()).cursor).toBe(head);

    const before = await h.counts();
    const again = await h.sync();
    expect(again).toMatchObject({ commitsApplied: 0, versionsCreated: 0, decisions: [] });
    expect(await h.counts()).toEqual(before);
  });
});

describe('what counts as a change', () => {
  it('counts a merge commit once, diffed against its first parent', async () => {
    h.writeManifest(manifestOf('gmail', 1));
    h.commit('add gmail');
    h.repo.branch('feature');
    h.repo.checkout('feature');
    h.writeManifest(manifestOf('gmail', 2));
    const f1 = h.commit('feature: gmail 2');
    h.writeManifest(manifestOf('gmail', 3));
    h.writeManifest(manifestOf('slack', 1));
    const f2 = h.commit('feature: gmail 3, slack');
    h.repo.checkout('main');
    h.writeManifest(manifestOf('notion', 1));
    const onMain = h.commit('main: notion');
    const merge = h.repo.merge('feature', 'Merge feature');

    const report = await h.sync();
    expect(report.commitsApplied).toBe(3); // add gmail, notion, the merge: not the feature commits
    const rows = await h.query<{ sha: string; n: number }>(`
      SELECT commit_sha AS sha, count(*)::int AS n FROM connectorversion GROUP BY commit_sha`);
    const bySha = new Map(rows.map((r) => [r.sha, r.n]));
    expect(bySha.get(merge)).toBe(2); // gmail (one version for two feature edits) and slack
    expect(bySha.get(onMain)).toBe(1);
    expect(bySha.has(f1) || bySha.has(f2)).toBe(false);
    expect((await h.versions('gmail')).map((v) => [v.version, v.commit_sha === merge])).toEqual([
      ['1.0.0', false],
      ['1.0.1', true],
    ]);
    expect((await h.versions('gmail'))[1]?.manifest.description).toBe('gmail, revision 3.');
  });

  it('reads committed content only: uncommitted and staged edits are ignored', async () => {
    h.writeManifest(manifestOf('gmail', 1));
    const sha = h.commit('add gmail');
    h.writeManifest(manifestOf('gmail', 2)); // modified in the working tree
    h.writeManifest(manifestOf('slack', 1)); // untracked
    h.writeManifest(manifestOf('notion', 1));
    h.repo.git('add', 'manifests/notion.json'); // staged, not committed

    const report = await h.sync();
    expect(report).toMatchObject({ commitsApplied: 1, versionsCreated: 1 });
    const [gmail] = await h.versions('gmail');
    expect(gmail).toMatchObject({ version: '1.0.0', commit_sha: sha });
    expect(gmail?.manifest.description).toBe('gmail, revision 1.');
    expect(await h.connector('slack')).toBeUndefined();
    expect(await h.connector('notion')).toBeUndefined();

    // A resync reads the head's snapshot from git objects too.
    const resync = await h.sync({ kind: 'resync' });
    expect(resync).toMatchObject({ versionsCreated: 0, connectorsCreated: 0, decisions: [] });
  });
});
