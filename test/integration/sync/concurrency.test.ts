import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import type { Database } from '../../../src/db/connection.js';
import { openRepository } from '../../../src/git/index.js';
import { syncOnce } from '../../../src/sync/syncOnce.js';
import { runCli } from '../../helpers/cli.js';
import { buildManifest } from '../../helpers/manifestBuilder.js';
import { readNdjson } from '../../helpers/ndjson.js';
import { skipping } from '../../helpers/skip.js';
import { createSyncHarness, onPostgres, type SyncHarness, silentLogger } from './harness.js';

const SLUGS = ['gmail', 'slack', 'notion', 'stripe', 'github'];
const COMMITS = 30;

let h: SyncHarness;
/** Versions each commit should produce: commit i rewrites connectors i % 5 and (i + 2) % 5. */
const expected = new Map<string, number>();
beforeAll(async () => {
  h = await createSyncHarness();
  const revision = new Map<string, number>();
  for (let i = 0; i < COMMITS; i++) {
    const touched = new Set([SLUGS[i % 5] as string, SLUGS[(i + 2) % 5] as string]);
    for (const slug of touched) {
      revision.set(slug, (revision.get(slug) ?? 0) + 1);
      h.writeManifest(
        buildManifest({ slug, name: slug, description: `${slug} #${revision.get(slug)}.` }),
      );
    }
    // One invalid manifest on the way: refused once, whoever applies its commit.
    if (i === 10) h.repo.write('manifests/broken.json', '{"slug": "broken"}\n');
    expected.set(h.commit(`commit ${i}`), touched.size);
  }
});
afterAll(async () => {
  await h.close();
});

/** Asserts each commit produced its versions exactly once and the cursor is at the head. */
async function assertAppliedOnce(): Promise<void> {
  const perCommit = await h.query<{ sha: string; n: number }>(
    'SELECT commit_sha AS sha, count(*)::int AS n FROM connectorversion GROUP BY commit_sha',
  );
  expect(new Map(perCommit.map((r) => [r.sha, r.n]))).toEqual(expected);
  expect(
    await h.query(
      'SELECT connector_id, version FROM connectorversion GROUP BY connector_id, version HAVING count(*) > 1',
    ),
  ).toEqual([]);
  expect(await h.query<{ n: number }>(`SELECT count(*)::int AS n FROM connector`)).toEqual([
    { n: SLUGS.length },
  ]);
  // The invalid manifest's problems are recorded once each, against its commit.
  const refusals = await h.query<{ file: string; pointer: string; n: number }>(
    'SELECT file, pointer, count(*)::int AS n FROM sync_refusal GROUP BY file, pointer',
  );
  expect(refusals.length).toBeGreaterThan(0);
  for (const refusal of refusals)
    expect(refusal).toMatchObject({ file: 'manifests/broken.json', n: 1 });
  expect((await h.status()).cursor).toBe(h.repo.revParse());
}

describe('two syncs at once', () => {
  it.skipIf(skipping(!onPostgres, 'needs a PostgreSQL server: set TEST_DATABASE_URL'))(
    'never create a version twice and never fail each other (three passes, separate connections)',
    async () => {
      const handles: Database[] = await Promise.all([
        h.testDb.open(),
        h.testDb.open(),
        h.testDb.open(),
      ]);
      const repositories = await Promise.all(
        handles.map(() => openRepository({ path: h.repo.path })),
      );
      try {
        const reports = await Promise.all(
          handles.map((database, i) =>
            syncOnce({
              config: h.config,
              repository: repositories[i] as (typeof repositories)[number],
              database,
              logger: silentLogger,
            }),
          ),
        );
        // Between them, every commit was applied once.
        expect(reports.reduce((n, r) => n + r.commitsApplied, 0)).toBe(COMMITS);
        expect(reports.reduce((n, r) => n + r.versionsCreated, 0)).toBe(
          [...expected.values()].reduce((a, b) => a + b, 0),
        );
        const refused = reports.flatMap((r) => r.refusals);
        expect(new Set(refused.map((r) => r.file))).toEqual(new Set(['manifests/broken.json']));
        expect(new Set(refused.map((r) => r.pointer)).size).toBe(refused.length);
      } finally {
        await Promise.all([
          ...handles.map((d) => d.close()),
          ...repositories.map((r) => r.close()),
        ]);
      }
      await assertAppliedOnce();
    },
  );

  it.skipIf(skipping(!onPostgres, 'needs a PostgreSQL server: set TEST_DATABASE_URL'))(
    'two CLI runs started together both exit 0',
    { timeout: 60_000 },
    async () => {
      // Fresh commits on top, so the two runs race over new work.
      for (let i = 0; i < 6; i++) {
        const slug = SLUGS[i % 5] as string;
        h.writeManifest(buildManifest({ slug, name: slug, description: `${slug} again ${i}.` }));
        expected.set(h.commit(`more ${i}`), 1);
      }
      await h.release();
      const [a, b] = await Promise.all([h.cli('sync', '--json'), h.cli('sync', '--json')]);
      expect([a.code, b.code, a.stderr, b.stderr]).toEqual([0, 0, '', '']);
      const applied = [a, b].map((r) => readNdjson(r.stdout).summary.commitsApplied as number);
      expect(applied.reduce((n, k) => n + k, 0)).toBe(6);
      await assertAppliedOnce();
    },
  );

  it.skipIf(skipping(onPostgres, 'embedded store only: unset TEST_DATABASE_URL'))(
    'embedded: one holder at a time, so a second opener is told who holds it (exit 3) and changes nothing',
    { timeout: 60_000 },
    async () => {
      // Concurrent passes cannot happen on the embedded store: PGlite is single-process, and
      // the lock file turns a second opener away before it reads anything.
      await h.db(); // the test holds the store
      const before = await h.counts();
      // The CLI in this process, without the harness's release: the holder's lock turns it away.
      const second = await runCli([...h.cliFlags, 'sync'], { cwd: h.repo.path });
      expect(second.code).toBe(3);
      expect(second.stderr).toMatch(/in use by process \d+/);
      expect(await h.counts()).toEqual(before);
      // After the holder is done, the sync goes through.
      expect((await h.cli('sync')).code).toBe(1); // 1: the history has a refused manifest
      await assertAppliedOnce();
    },
  );

  it('a pass that read an older head while another synced further undoes nothing', async () => {
    await h.sync();
    const before = await h.counts();
    const latest = await h.query(
      'SELECT slug, latest_version_id, status FROM connector ORDER BY slug',
    );
    // A second checkout of the same repository whose branch is 5 commits behind (its objects
    // include the newer commits, as when a pass resolves the head just before a push lands).
    const clone = `${h.repo.path}-replica`;
    h.repo.git('clone', '-q', h.repo.path, clone);
    execFileSync('git', ['reset', '-q', '--hard', 'HEAD~5'], { cwd: clone });
    const repository = await openRepository({ path: clone });
    try {
      const report = await syncOnce({
        config: loadConfig({ ...h.flags, repo: clone }, {}, clone),
        repository,
        database: await h.db(),
        logger: silentLogger,
      });
      expect(report).toMatchObject({ historyRewritten: false, commitsApplied: 0, decisions: [] });
      expect(report.to).toBe(h.repo.revParse());
    } finally {
      await repository.close();
      rmSync(clone, { recursive: true, force: true });
    }
    expect(await h.counts()).toEqual(before);
    expect(
      await h.query('SELECT slug, latest_version_id, status FROM connector ORDER BY slug'),
    ).toEqual(latest);
    expect(await h.query('SELECT sha FROM sync_commit WHERE NOT reachable')).toEqual([]);
    expect((await h.status()).cursor).toBe(h.repo.revParse());
  });
});
