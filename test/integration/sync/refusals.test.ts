import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildManifest } from '../../helpers/manifestBuilder.js';
import { readNdjson } from '../../helpers/ndjson.js';
import { createSyncHarness, type SyncHarness } from './harness.js';

let h: SyncHarness;
beforeEach(async () => {
  h = await createSyncHarness();
});
afterEach(async () => {
  await h.close();
});

const hubspot = buildManifest({ slug: 'hubspot', name: 'HubSpot' });

describe('bad input never blocks the rest', () => {
  it('applies the valid manifests, records and prints the refused one, exits 1; a fixing commit syncs it', {
    timeout: 60_000,
  }, async () => {
    h.writeManifest(buildManifest());
    h.writeManifest(buildManifest({ slug: 'slack', name: 'Slack' }));
    h.writeManifest({ ...hubspot, status: 'live' });
    const bad = h.commit('add three, one invalid');

    const sync = await h.cli('sync');
    expect(sync.stderr).not.toMatch(/Error/);
    expect(sync.code).toBe(1);
    expect(sync.stdout).toContain(
      `refused: manifests/hubspot.json:7:3 (at ${bad.slice(0, 10)}): /status: \`status\` must be one of draft, beta, stable, deprecated (got \`live\`) [invalid-value]`,
    );
    expect(sync.stdout).toMatch(
      /1 commit\(s\), created 2 connector\(s\) and 2 version\(s\), 1 manifest\(s\) refused/,
    );

    expect((await h.versions('gmail')).map((v) => [v.version, v.commit_sha])).toEqual([
      ['1.0.0', bad],
    ]);
    expect((await h.versions('slack')).map((v) => [v.version, v.commit_sha])).toEqual([
      ['1.0.0', bad],
    ]);
    expect(await h.connector('hubspot')).toBeUndefined();
    expect(
      await h.query(
        'SELECT commit_sha, file, slug, pointer, code, message, line, "column", resolved_by FROM sync_refusal',
      ),
    ).toEqual([
      {
        commit_sha: bad,
        file: 'manifests/hubspot.json',
        slug: 'hubspot',
        pointer: '/status',
        code: 'invalid-value',
        message: '`status` must be one of draft, beta, stable, deprecated (got `live`)',
        line: 7,
        column: 3,
        resolved_by: null,
      },
    ]);
    const [run] = await h.query(
      'SELECT outcome, commits_applied, versions_created, manifests_refused FROM sync_run',
    );
    expect(run).toEqual({
      outcome: 'refused',
      commits_applied: 1,
      versions_created: 2,
      manifests_refused: 1,
    });

    // A commit that does not touch the file leaves the refusal open.
    h.writeManifest(buildManifest({ description: 'Gmail, reworded.' }));
    h.commit('reword gmail');
    expect((await h.sync()).refusals).toEqual([]);
    expect((await h.status()).refusals).toMatchObject([
      { file: 'manifests/hubspot.json', commit_sha: bad },
    ]);
    expect((await h.cli('status')).stdout).toContain('refused   1 open');

    // The fix: hubspot syncs, the refusal is resolved by the fixing commit.
    h.writeManifest(hubspot);
    const fix = h.commit('fix hubspot');
    const fixed = await h.cli('sync', '--json');
    expect(fixed.code).toBe(0);
    expect(readNdjson(fixed.stdout).summary).toMatchObject({
      commitsApplied: 1,
      connectorsCreated: 1,
      versionsCreated: 1,
      refusals: [],
    });
    expect((await h.versions('hubspot')).map((v) => [v.version, v.commit_sha])).toEqual([
      ['1.0.0', fix],
    ]);
    expect(await h.query('SELECT resolved_by FROM sync_refusal')).toEqual([{ resolved_by: fix }]);
    const status = JSON.parse((await h.cli('status', '--json')).stdout);
    expect(status).toMatchObject({ refusals: [], cursor: fix, head: fix, behind: 0 });
  });

  it('refuses unparseable JSON and a too-low version under the strict policy, applying the rest', async () => {
    h.writeManifest(buildManifest());
    h.commit('add gmail');
    await h.sync();
    h.repo.write('manifests/broken.json', '{"name": ');
    h.writeManifest({ ...buildManifest(), actions: {} }); // action removed: needs 2.0.0, file says 1.0.0
    h.writeManifest(buildManifest({ slug: 'slack', name: 'Slack' }));
    const sha = h.commit('three changes');

    const result = await h.cli('--version-policy', 'strict', 'sync', '--json');
    expect(result.code).toBe(1);
    const { summary: report, lines } = readNdjson(result.stdout);
    // Each refusal was streamed on its own line before the summary repeated them.
    expect(lines.filter((line) => line.type === 'refusal')).toHaveLength(2);
    expect(
      (report.refusals as { file: string; code: string }[]).map((r) => [r.file, r.code]).sort(),
    ).toEqual([
      ['manifests/broken.json', 'truncated-json'],
      ['manifests/gmail.json', 'version-policy'],
    ]);
    expect(report.versionsCreated).toBe(1);
    expect((await h.versions('gmail')).map((v) => v.version)).toEqual(['1.0.0']);
    expect((await h.versions('slack')).map((v) => v.commit_sha)).toEqual([sha]);
    expect((await h.status()).cursor).toBe(sha);
  });
});
