import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readNdjson } from '../../helpers/ndjson.js';
import { createSyncHarness, type SyncHarness } from './harness.js';

const BUNDLED = new URL('../../../manifests', import.meta.url).pathname;
const ACTIVECAMPAIGN = '8a3b1f0e-4c2d-4e5f-9a6b-7c8d9e0f1a2b';

let h: SyncHarness;
let sha: string;
beforeAll(async () => {
  // The platform's database as it is today: its own tables, ActiveCampaign with two hand-made
  // versions, a user's private connector. Not migrated: the CLI migrates it.
  h = await createSyncHarness({ seeded: true });
  cpSync(BUNDLED, join(h.repo.path, 'manifests'), { recursive: true });
  sha = h.commit('import the bundled registry');
});
afterAll(async () => {
  await h.close();
});

describe('a first sync of the bundled registry over the seed', () => {
  it('adopts ActiveCampaign by slug, adds one version above 1.1.0, and leaves the private connector alone', {
    timeout: 60_000,
  }, async () => {
    const privateBefore = await h.query("SELECT * FROM connector WHERE slug = 'my-internal-crm'");
    const seedVersions = await h.query(
      'SELECT id, version, manifest, wheel_url, created_at FROM connectorversion ORDER BY version',
    );
    expect(seedVersions).toHaveLength(2);

    const result = await h.cli('sync', '--json');
    expect(result.stderr).not.toMatch(/error/i);
    expect(result.code).toBe(0);
    const report = readNdjson(result.stdout).summary;
    expect(report).toMatchObject({
      commitsApplied: 1,
      connectorsCreated: 98,
      versionsCreated: 99,
      refusals: [],
    });

    expect(
      await h.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM connector WHERE slug = 'activecampaign'",
      ),
    ).toEqual([{ n: 1 }]);
    const ac = await h.connector('activecampaign');
    expect(ac).toMatchObject({ id: ACTIVECAMPAIGN, is_platform: true, status: 'beta' });
    const versions = await h.versions('activecampaign');
    expect(versions.map((v) => [v.version, v.commit_sha, v.is_latest])).toEqual([
      ['1.0.0', null, false],
      ['1.1.0', null, false],
      ['2.0.0', sha, true],
    ]);
    // Diffed against the hand-made 1.1.0: an output property removed and a provider set are major.
    expect(versions[2]?.bump).toBe('major');
    expect(versions[2]?.reasons).toEqual(
      expect.arrayContaining([
        'output property `id` of action `create_contact` removed: existing consumers that read it would break',
        'Nango provider changed from none to `active-campaign`: existing connections were made with the old provider and must be re-created',
      ]),
    );
    expect(versions[2]?.reasons?.at(-1)).toMatch(/not above the latest 1\.1\.0.*using 2\.0\.0$/);
    expect(versions[2]?.manifest.version).toBe('2.0.0');
    // The hand-made rows are kept as they were.
    expect(
      await h.query(
        `SELECT id, version, manifest, wheel_url, created_at FROM connectorversion
         WHERE connector_id = '${ACTIVECAMPAIGN}' AND commit_sha IS NULL ORDER BY version`,
      ),
    ).toEqual(seedVersions);

    expect(await h.query("SELECT * FROM connector WHERE slug = 'my-internal-crm'")).toEqual(
      privateBefore,
    );
    expect(
      await h.query<{ platform: number; all: number; versions: number }>(`
        SELECT (SELECT count(*)::int FROM connector WHERE is_platform) AS platform,
               (SELECT count(*)::int FROM connector) AS all,
               (SELECT count(*)::int FROM connectorversion) AS versions`),
    ).toEqual([{ platform: 99, all: 100, versions: 101 }]);
    // Every platform connector points at a version of its own.
    expect(
      await h.query(`SELECT c.slug FROM connector c LEFT JOIN connectorversion v ON v.id = c.latest_version_id
        WHERE c.is_platform AND (v.connector_id IS DISTINCT FROM c.id)`),
    ).toEqual([]);
  });

  it('a second sync and a resync change nothing', async () => {
    const before = await h.counts();
    expect(await h.sync()).toMatchObject({ commitsApplied: 0, versionsCreated: 0 });
    const resync = await h.sync({ kind: 'resync' });
    expect(resync).toMatchObject({ versionsCreated: 0, connectorsCreated: 0, decisions: [] });
    expect(await h.counts()).toEqual({ ...before, sync_run: before.sync_run + 1 });
  });
});
