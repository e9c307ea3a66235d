import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildManifest, manifestText } from '../../helpers/manifestBuilder.js';
import { createSyncHarness, type SyncHarness } from './harness.js';

/** More than two slices of 1,000, so slicing, overlap and ordering are all exercised. */
const COUNT = 2_345;
const slug = (i: number) => `bulk-${String(i).padStart(5, '0')}`;

let h: SyncHarness;
beforeAll(async () => {
  h = await createSyncHarness();
});
afterAll(() => h.close());

describe('a commit larger than one slice', () => {
  it('applies every manifest once, in one transaction, and a later huge change likewise', async () => {
    for (let i = 0; i < COUNT; i++) {
      h.repo.write(
        `manifests/${slug(i)}.json`,
        manifestText(buildManifest({ slug: slug(i), name: `Bulk ${i}` })),
      );
    }
    // One invalid manifest in the middle slice: refused, the rest applied.
    h.repo.write(
      `manifests/${slug(1500)}.json`,
      manifestText({ ...buildManifest({ slug: slug(1500) }), status: 'gone' }),
    );
    const first = h.commit('add the bulk registry');
    const report = await h.sync();
    expect(report.versionsCreated).toBe(COUNT - 1);
    expect(report.connectorsCreated).toBe(COUNT - 1);
    expect(report.refusals.map((r) => r.file)).toEqual([`manifests/${slug(1500)}.json`]);
    const [counts] = await h.query<{ connectors: number; versions: number; linked: number }>(`
      SELECT (SELECT count(*)::int FROM connector) AS connectors,
             (SELECT count(*)::int FROM connectorversion) AS versions,
             (SELECT count(*)::int FROM connectorversion WHERE commit_sha = '${first}') AS linked`);
    expect(counts).toEqual({ connectors: COUNT - 1, versions: COUNT - 1, linked: COUNT - 1 });

    for (let i = 0; i < COUNT; i += 2) {
      const manifest = buildManifest({
        slug: slug(i),
        name: `Bulk ${i}`,
        description: 'Changed in bulk.',
      });
      h.repo.write(`manifests/${slug(i)}.json`, manifestText(manifest));
    }
    h.commit('describe every other one');
    const second = await h.sync();
    // Every even slug changed; 1500 is even and now valid, so it is created.
    expect(second.versionsCreated).toBe(Math.ceil(COUNT / 2));
    expect(second.connectorsCreated).toBe(1);
    expect((await h.versions(slug(2000))).map((v) => v.version)).toEqual(['1.0.0', '1.0.1']);
    expect((await h.versions(slug(2001))).map((v) => v.version)).toEqual(['1.0.0']);
    expect((await h.status()).refusals).toEqual([]);
  });

  it('a write failing in the background mid-commit undoes the whole commit; the next run applies it once', async () => {
    const before = await h.status();
    // Writes run in the background while later manifests are planned: make one in the middle fail.
    await h.query(`CREATE FUNCTION test_fail() RETURNS trigger AS $$
      BEGIN RAISE EXCEPTION 'the disk is full'; END $$ LANGUAGE plpgsql`);
    await h.query(`CREATE TRIGGER test_fail BEFORE INSERT ON connectorversion FOR EACH ROW
      WHEN (NEW.manifest->>'slug' = '${slug(1001)}') EXECUTE FUNCTION test_fail()`);
    for (let i = 1; i < COUNT; i += 2) {
      const manifest = buildManifest({ slug: slug(i), name: `Bulk ${i}`, description: 'Odd.' });
      h.repo.write(`manifests/${slug(i)}.json`, manifestText(manifest));
    }
    const third = h.commit('describe the odd ones');
    await expect(h.sync()).rejects.toThrow(/the disk is full/);
    expect(await h.query(`SELECT id FROM connectorversion WHERE commit_sha = '${third}'`)).toEqual(
      [],
    );
    expect((await h.status()).cursor).toBe(before.cursor);

    await h.query(`DROP TRIGGER test_fail ON connectorversion`);
    const report = await h.sync();
    expect(report.versionsCreated).toBe(Math.floor(COUNT / 2));
    expect((await h.versions(slug(1001))).map((v) => v.version)).toEqual(['1.0.0', '1.0.1']);
    const [linked] = await h.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM connectorversion WHERE commit_sha = '${third}'`,
    );
    expect(linked?.n).toBe(Math.floor(COUNT / 2));
  });

  it('a resync of more than a slice plans it a slice at a time, in one transaction, deletions last', async () => {
    // Every manifest changed (so the resync reads and plans them all), one deleted, one broken in
    // the middle slice.
    for (let i = 0; i < COUNT; i++) {
      const manifest = buildManifest({ slug: slug(i), name: `Bulk ${i}`, description: 'Again.' });
      h.repo.write(`manifests/${slug(i)}.json`, manifestText(manifest));
    }
    h.repo.remove(`manifests/${slug(7)}.json`);
    h.repo.write(
      `manifests/${slug(1200)}.json`,
      manifestText({ ...buildManifest({ slug: slug(1200) }), status: 'gone' }),
    );
    const head = h.commit('every manifest again, one deleted, one broken');
    const before = await h.status();
    const versions = (await h.query(`SELECT id FROM connectorversion`)).length;
    // A write failing in the last slice undoes the whole resync, its deletion and cursor too.
    const last = COUNT - 3;
    await h.query(`CREATE TRIGGER test_fail BEFORE INSERT ON connectorversion FOR EACH ROW
      WHEN (NEW.manifest->>'slug' = '${slug(last)}') EXECUTE FUNCTION test_fail()`);
    await expect(h.sync({ kind: 'resync' })).rejects.toThrow(/the disk is full/);
    expect((await h.query(`SELECT id FROM connectorversion`)).length).toBe(versions);
    expect((await h.connector(slug(7)))?.status).toBe('beta');
    expect((await h.status()).cursor).toBe(before.cursor);
    await h.query(`DROP TRIGGER test_fail ON connectorversion`);

    const report = await h.sync({ kind: 'resync' });
    expect(report.versionsCreated).toBe(COUNT - 2);
    expect(report.refusals.map((r) => r.file)).toEqual([`manifests/${slug(1200)}.json`]);
    const actions = new Map<string, number>();
    for (const { action } of report.decisions) actions.set(action, (actions.get(action) ?? 0) + 1);
    expect(Object.fromEntries(actions)).toEqual({ version: COUNT - 2, refuse: 1, deprecate: 1 });
    expect(report.decisions.at(-1)).toMatchObject({ slug: slug(7), action: 'deprecate' });
    expect((await h.connector(slug(7)))?.status).toBe('deprecated');
    const [linked] = await h.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM connectorversion WHERE commit_sha = '${head}'`,
    );
    expect(linked?.n).toBe(COUNT - 2);
    expect((await h.versions(slug(last))).at(-1)).toMatchObject({
      commit_sha: head,
      is_latest: true,
    });
    expect((await h.status()).cursor).toBe(head);
  });
});
