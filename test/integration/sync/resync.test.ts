import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAction, buildManifest } from '../../helpers/manifestBuilder.js';
import { readNdjson } from '../../helpers/ndjson.js';
import { createSyncHarness, type SyncHarness } from './harness.js';

let h: SyncHarness;
const gmail = buildManifest();
const shas: Record<string, string> = {};
beforeAll(async () => {
  h = await createSyncHarness();
  h.writeManifest(gmail);
  h.writeManifest(buildManifest({ slug: 'slack', name: 'Slack' }));
  shas.first = h.commit('add gmail and slack');
  h.writeManifest({ ...gmail, description: 'Gmail, reworded.' });
  h.commit('reword gmail');
  h.writeManifest({
    ...gmail,
    description: 'Gmail, reworded.',
    actions: { ...gmail.actions, archive: buildAction({ name: 'Archive' }) },
  });
  shas.synced = h.commit('gmail: archive action');
  await h.sync();
});
afterAll(async () => {
  await h.close();
});

/** Every row of the tables a resync could change, for before/after comparisons. */
async function snapshot() {
  return {
    connector: await h.query('SELECT * FROM connector ORDER BY slug'),
    connectorversion: await h.query('SELECT * FROM connectorversion ORDER BY id'),
    sync_commit: await h.query('SELECT * FROM sync_commit ORDER BY sha'),
    sync_cursor: await h.query('SELECT * FROM sync_cursor'),
    sync_refusal: await h.query('SELECT * FROM sync_refusal ORDER BY id'),
  };
}

describe('resync', () => {
  it('repairs a pointer moved by hand onto the existing version with that content; --dry-run writes nothing', {
    timeout: 90_000,
  }, async () => {
    const versions = await h.versions('gmail');
    expect(versions.map((v) => v.version)).toEqual(['1.0.0', '1.0.1', '1.1.0']);
    const [v100, , v110] = versions;
    // Drift: an operator moves the pointer back by hand, and marks slack deprecated.
    await h.query(`UPDATE connector SET latest_version_id = '${v100?.id}' WHERE slug = 'gmail'`);
    await h.query(`UPDATE connector SET status = 'deprecated' WHERE slug = 'slack'`);
    const tampered = await snapshot();
    const runs = (await h.counts()).sync_run;

    const dry = await h.cli('resync', '--dry-run');
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain(`${shas.synced?.slice(0, 10)}  repoint   gmail 1.0.0 → 1.1.0`);
    expect(dry.stdout).toMatch(
      /the latest pointer was on 1\.0\.0, whose content differs; 1\.1\.0 has this content/,
    );
    expect(dry.stdout).toMatch(
      /revive\s+slack 1\.0\.0\n\s+- manifests\/slack.json is back: the connector is beta again/,
    );
    expect(dry.stdout).toMatch(
      /resync \(dry run\) main .*would create 0 connector\(s\) and 0 version\(s\)/,
    );
    expect(await snapshot()).toEqual(tampered);
    expect((await h.counts()).sync_run).toBe(runs);

    const real = await h.cli('resync', '--json');
    expect(real.code).toBe(0);
    const { summary: report, decisions } = readNdjson(real.stdout);
    expect(report).toMatchObject({ kind: 'resync', versionsCreated: 0, connectorsCreated: 0 });
    expect(
      (decisions as unknown as { action: string; slug: string }[]).map(
        (d: { action: string; slug: string }) => [d.action, d.slug],
      ),
    ).toEqual([
      ['repoint', 'gmail'],
      ['revive', 'slack'],
    ]);
    expect(await h.connector('gmail')).toMatchObject({ latest_version_id: v110?.id });
    expect(await h.connector('slack')).toMatchObject({ status: 'beta' });
    expect(await h.versions('gmail')).toHaveLength(3);

    // Idempotent: a second resync changes no row (it only logs a no-op run).
    const repaired = await snapshot();
    const again = await h.sync({ kind: 'resync' });
    expect(again).toMatchObject({ decisions: [], versionsCreated: 0 });
    const { sync_cursor: _, ...rest } = await snapshot();
    const { sync_cursor: __, ...repairedRest } = repaired;
    expect(rest).toEqual(repairedRest);
    expect(
      await h.query('SELECT kind, outcome FROM sync_run ORDER BY started_at DESC LIMIT 2'),
    ).toEqual([
      { kind: 'resync', outcome: 'noop' },
      { kind: 'resync', outcome: 'applied' },
    ]);
  });
});

describe('sync --dry-run and status', () => {
  it('prints the plan across several commits and writes nothing; status shows cursor, head, behind', {
    timeout: 90_000,
  }, async () => {
    const { archive: _, ...oneAction } = {
      ...gmail.actions,
      archive: buildAction({ name: 'Archive' }),
    };
    h.writeManifest({ ...gmail, description: 'Gmail, reworded.', actions: oneAction }); // archive removed
    const major = h.commit('drop the archive action');
    h.writeManifest({ ...gmail, description: 'Gmail once more.', actions: oneAction });
    const patch = h.commit('reword gmail again');
    h.writeManifest(buildManifest({ slug: 'notion', name: 'Notion', version: '0.3.0' }));
    const created = h.commit('add notion');
    const before = await snapshot();
    const runs = (await h.counts()).sync_run;

    const status = await h.cli('status', '--json');
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({
      branch: 'main',
      cursor: shas.synced,
      head: created,
      behind: 3,
      refusals: [],
      lastRun: { kind: 'resync', outcome: 'noop' },
    });

    const dry = await h.cli('sync', '--dry-run');
    expect(dry.code).toBe(0);
    const lines = dry.stdout.split('\n');
    expect(lines).toContain(`${major.slice(0, 10)}  version   gmail 1.1.0 → 2.0.0 (major)`);
    expect(lines).toContain(`${patch.slice(0, 10)}  version   gmail 2.0.0 → 2.0.1 (patch)`);
    expect(lines).toContain(`${created.slice(0, 10)}  create    notion (new) → 0.3.0`);
    expect(dry.stdout).toMatch(/- action `archive` removed/);
    expect(dry.stdout).toMatch(
      /sync \(dry run\) main \S+\.\.\S+: 3 commit\(s\), would create 1 connector\(s\) and 3 version\(s\), 0 manifest\(s\) refused/,
    );
    expect(await snapshot()).toEqual(before);
    expect((await h.counts()).sync_run).toBe(runs);

    // The real sync does what the dry run said.
    const planned = await h.sync({ dryRun: true });
    const applied = await h.sync();
    expect(applied.decisions).toEqual(planned.decisions);
    expect((await h.versions('gmail')).map((v) => [v.version, v.commit_sha])).toEqual([
      ['1.0.0', shas.first],
      ['1.0.1', expect.any(String)],
      ['1.1.0', shas.synced],
      ['2.0.0', major],
      ['2.0.1', patch],
    ]);
    expect(await h.status()).toMatchObject({ cursor: created, head: created, behind: 0 });
  });
});
