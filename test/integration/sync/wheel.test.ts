import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRoutes } from '../../../src/daemon/api.js';
import { openRepository } from '../../../src/git/index.js';
import { readVersionHistory } from '../../../src/query/readVersionHistory.js';
import { buildAction, buildManifest } from '../../helpers/manifestBuilder.js';
import { createSyncHarness, type SyncHarness } from './harness.js';

const A = 'https://wheels.example.com/{slug}/{slug}-{version}-py3-none-any.whl';
const B = 'https://cdn.example.com/py/{slug}-{version}.whl';
const resolved = (template: string, slug: string, version: string) =>
  template.replaceAll('{slug}', slug).replaceAll('{version}', version);

/** Every version of a connector as [version, bump, wheel_url], oldest first. */
async function wheelRows(h: SyncHarness, slug: string) {
  const rows = await h.query<{ version: string; bump: string | null; wheel_url: string | null }>(`
    SELECT v.version, v.bump, v.wheel_url FROM connectorversion v
    JOIN connector c ON c.id = v.connector_id WHERE c.slug = '${slug}'
    ORDER BY string_to_array(v.version, '.')::int[]`);
  return rows.map((row) => [row.version, row.bump, row.wheel_url]);
}

describe('wheel_url through sync, resync and the audit trail', () => {
  let h: SyncHarness;
  const gmail = buildManifest({ version: undefined });
  const shas: string[] = [];
  beforeAll(async () => {
    h = await createSyncHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  it('add, keep, change and remove a wheel: each row carries exactly its resolved URL', {
    timeout: 60_000,
  }, async () => {
    h.writeManifest(gmail);
    shas.push(h.commit('gmail, no code'));
    expect(await h.sync()).toMatchObject({ versionsCreated: 1, refusals: [] });

    // Commit 1 adds a wheel to gmail, creates slack with one, and tries zoom with credentials.
    h.writeManifest({ ...gmail, wheel_url: A });
    h.writeManifest(
      buildManifest({ slug: 'slack', name: 'Slack', version: '3.0.0', wheel_url: B }),
    );
    h.writeManifest(
      buildManifest({
        slug: 'zoom',
        name: 'Zoom',
        wheel_url: 'https://deploy:s3cret@wheels.example.com/zoom.whl',
      }),
    );
    shas.push(h.commit('ship code'));
    const added = await h.sync();
    expect(added).toMatchObject({ versionsCreated: 2 });
    expect(added.refusals).toEqual([
      expect.objectContaining({
        file: 'manifests/zoom.json',
        revision: shas[1],
        pointer: '/wheel_url',
        code: 'invalid-value',
        message: expect.stringMatching(/^`wheel_url` carries credentials in the URL/),
      }),
    ]);
    expect(JSON.stringify(await h.query('SELECT * FROM sync_refusal'))).not.toContain('s3cret');
    expect(await h.connector('zoom')).toBeUndefined();

    // Commit 2: a new action, the template unchanged: the URL follows the new version.
    const withArchive = {
      ...gmail,
      wheel_url: A,
      actions: { ...gmail.actions, archive: buildAction({ name: 'Archive' }) },
    };
    h.writeManifest(withArchive);
    shas.push(h.commit('gmail: archive'));
    // Commit 3: another template.
    h.writeManifest({ ...withArchive, wheel_url: B });
    shas.push(h.commit('gmail: wheels move to the CDN'));
    // Commit 4: no more code.
    const { wheel_url: _, ...withoutWheel } = withArchive;
    h.writeManifest(withoutWheel);
    shas.push(h.commit('gmail: drop the wheel'));
    expect(await h.sync()).toMatchObject({ commitsApplied: 3, versionsCreated: 3, refusals: [] });

    expect(await wheelRows(h, 'gmail')).toEqual([
      ['1.0.0', 'none', null],
      ['1.0.1', 'patch', resolved(A, 'gmail', '1.0.1')],
      ['1.1.0', 'minor', resolved(A, 'gmail', '1.1.0')],
      ['1.1.1', 'patch', resolved(B, 'gmail', '1.1.1')],
      ['2.0.0', 'major', null],
    ]);
    expect(await wheelRows(h, 'slack')).toEqual([
      ['3.0.0', 'none', 'https://cdn.example.com/py/slack-3.0.0.whl'],
    ]);
    const versions = await h.versions('gmail');
    expect(versions[1]?.reasons?.[0]).toMatch(/^`wheel_url` added .*the connector now ships code/);
    expect(versions[3]?.reasons?.[0]).toMatch(/^`wheel_url` changed from .* a code change/);
    expect(versions[4]?.reasons?.[0]).toMatch(/^`wheel_url` removed .*no longer ships its code/);
    // The stored manifest keeps the template, as committed.
    expect(versions[3]?.manifest.wheel_url).toBe(B);
  });

  it('a resync writes nothing, and existing rows keep their wheel_url', async () => {
    const before = await h.query('SELECT * FROM connectorversion ORDER BY id');
    const report = await h.sync({ kind: 'resync' });
    expect(report).toMatchObject({ versionsCreated: 0, connectorsCreated: 0 });
    expect(await h.query('SELECT * FROM connectorversion ORDER BY id')).toEqual(before);
  });

  it('show, history, the read API and diff show the wheel of each version', {
    timeout: 240_000,
  }, async () => {
    const history = await readVersionHistory((await h.db()).db, 'gmail');
    expect(history?.map((v) => [v.version, v.wheelUrl])).toEqual([
      ['2.0.0', null],
      ['1.1.1', resolved(B, 'gmail', '1.1.1')],
      ['1.1.0', resolved(A, 'gmail', '1.1.0')],
      ['1.0.1', resolved(A, 'gmail', '1.0.1')],
      ['1.0.0', null],
    ]);

    // The read API, through the daemon's own route table (no socket).
    const repository = await openRepository({ path: h.repo.path });
    try {
      const routes = apiRoutes({ db: (await h.db()).db, repository: () => repository });
      const api = async (pattern: string, url: string, params: Record<string, string>) => {
        const route = routes.find((r) => r.pattern === pattern);
        const response = await route?.handler({
          method: 'GET',
          url: new URL(url, 'http://localhost'),
          params,
          headers: {},
          body: Buffer.alloc(0),
        });
        return JSON.parse(String(response?.body));
      };
      const one = await api('/api/connectors/:slug/versions/:version', '/', {
        slug: 'gmail',
        version: '1.0.1',
      });
      expect(one).toMatchObject({ version: '1.0.1', wheelUrl: resolved(A, 'gmail', '1.0.1') });
      const all = await api('/api/connectors/:slug/versions', '/', { slug: 'gmail' });
      expect(all.versions.map((v: { wheelUrl: string | null }) => v.wheelUrl)).toEqual(
        history?.map((v) => v.wheelUrl),
      );
    } finally {
      await repository.close();
    }

    const show = await h.cli('show', 'gmail@1.1.1', '--json');
    expect(show.code).toBe(0);
    expect(JSON.parse(show.stdout)).toMatchObject({ wheelUrl: resolved(B, 'gmail', '1.1.1') });
    const lines = await h.cli('history', 'gmail');
    expect(lines.stdout).toContain(`wheel ${resolved(B, 'gmail', '1.1.1')}`);
    const diff = await h.cli('diff', 'gmail@1.1.0', 'gmail@2.0.0', '--json');
    expect(JSON.parse(diff.stdout)).toMatchObject({
      bump: 'major',
      changes: expect.arrayContaining([
        expect.objectContaining({ path: '/wheel_url', kind: 'removed', bump: 'major' }),
      ]),
    });
  });
});

describe('wheel_url over the seed: the hand-made rows are adopted untouched', () => {
  let h: SyncHarness;
  beforeAll(async () => {
    h = await createSyncHarness({ seeded: true });
  });
  afterAll(async () => {
    await h.close();
  });
  // Selected by id: before the first sync the seed's tables have no provenance columns yet.
  const HAND_MADE = `SELECT id, version, manifest, wheel_url, created_at FROM connectorversion
    WHERE id::text LIKE 'c0ffee00-%' ORDER BY version`;
  const seedWheel = 'https://wheels.example.com/activecampaign-1.1.0-py3-none-any.whl';

  it('a next version without a wheel is a removal of the row wheel; one with a template resolves it', {
    timeout: 120_000,
  }, async () => {
    const [seed] = await h.query<{ manifest: Record<string, unknown> }>(
      "SELECT manifest FROM connectorversion WHERE version = '1.1.0'",
    );
    const handMade = await h.query(HAND_MADE);
    expect(handMade).toHaveLength(2);
    const { version: _, ...manifest } = seed?.manifest ?? {};

    // The same content as the hand-made 1.1.0: adopted, nothing written.
    h.writeManifest(manifest);
    h.commit('activecampaign as it is');
    const first = await h.cli('sync', '--json');
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ versionsCreated: 0, refusals: [] });

    h.writeManifest({ ...manifest, description: 'Email marketing, automation and CRM.' });
    h.commit('reword');
    h.writeManifest({
      ...manifest,
      description: 'Email marketing, automation and CRM.',
      wheel_url: 'https://wheels.example.com/{slug}-{version}-py3-none-any.whl',
    });
    h.commit('ship the code again');
    expect(await h.sync()).toMatchObject({ versionsCreated: 2, refusals: [] });
    expect(await wheelRows(h, 'activecampaign')).toEqual([
      ['1.0.0', null, null],
      ['1.1.0', null, seedWheel],
      ['2.0.0', 'major', null],
      ['2.0.1', 'patch', 'https://wheels.example.com/activecampaign-2.0.1-py3-none-any.whl'],
    ]);
    const [, , reworded] = await h.versions('activecampaign');
    expect(reworded?.reasons).toEqual(
      expect.arrayContaining([
        `\`wheel_url\` removed (was \`${seedWheel}\`): the connector no longer ships its code, so actions that ran it stop working`,
      ]),
    );

    expect(await h.sync({ kind: 'resync' })).toMatchObject({ versionsCreated: 0 });
    expect(await h.query(HAND_MADE)).toEqual(handMade);
  });
});
