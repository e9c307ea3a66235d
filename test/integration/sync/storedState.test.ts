import type { KyselyPlugin } from 'kysely';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openRepository } from '../../../src/git/index.js';
import { SLICE_BYTES } from '../../../src/sync/planSlices.js';
import { type SyncOnceOptions, syncOnce } from '../../../src/sync/syncOnce.js';
import { buildManifest, largeManifestText } from '../../helpers/manifestBuilder.js';
import { createSyncHarness, type SyncHarness } from './harness.js';

let h: SyncHarness;
beforeEach(async () => {
  h = await createSyncHarness();
});
afterEach(async () => {
  await h.close();
});

/**
 * Syncs through the harness's own database, observed: a kysely plugin records, for each query
 * whose rows hold manifests, the length of those manifests' text (and counts the manifests), and
 * for each statement that changed rows, how many; each plan made is counted by its decisions.
 * Nothing is changed on the way.
 */
async function observedSync(options: SyncOnceOptions = {}) {
  const database = await h.db();
  const reads: number[] = [];
  const changed: number[] = [];
  const plans: number[] = [];
  let manifests = 0;
  const observer: KyselyPlugin = {
    transformQuery: ({ node }) => node,
    transformResult: async ({ result }) => {
      let length = 0;
      for (const row of result.rows as Record<string, unknown>[])
        if (row.manifest) {
          length += JSON.stringify(row.manifest).length;
          manifests++;
        }
      if (length > 0) reads.push(length);
      if (result.numAffectedRows) changed.push(Number(result.numAffectedRows));
      return result;
    },
  };
  const repository = await openRepository({ path: h.repo.path });
  try {
    const report = await syncOnce(
      {
        config: h.config,
        repository,
        database: { ...database, db: database.db.withPlugin(observer) },
        logger: pino({ level: 'silent' }),
        onRevision: (revision) => plans.push(revision.decisions.length),
      },
      options,
    );
    return { report, reads, manifests, changed, plans };
  } finally {
    // Its cat-file would outlive the test, in a worker another test file runs in next.
    await repository.close();
  }
}

describe("connectors' stored manifests are read within the slice's bytes, not a commit's", () => {
  it('a commit deleting forty stored near the limit deprecates them all, reading 16 MiB at a time', {
    timeout: 300_000,
  }, async () => {
    // Written without indentation, each is stored as long as it was committed: ~1 MB.
    for (let i = 0; i < 40; i++)
      h.repo.write(
        `manifests/big-${i}.json`,
        largeManifestText(`big-${i}`, 1_000_000, { compact: true }),
      );
    h.writeManifest(buildManifest());
    h.commit('forty large manifests and gmail');
    expect((await h.sync()).versionsCreated).toBe(41);

    // Each is stored as ~1.2 MB of JSONB: 13 fit in a slice's 16 MiB.
    const [stored] = await h.query<{ size: number }>(
      `SELECT max(pg_column_size(manifest || '{}'::jsonb))::int AS size FROM connectorversion`,
    );
    const fit = Math.floor(SLICE_BYTES / (stored?.size ?? 1));
    expect(fit).toBeGreaterThan(10);
    expect(fit).toBeLessThan(20);

    for (let i = 0; i < 40; i++) h.repo.remove(`manifests/big-${i}.json`);
    h.commit('delete the forty');
    const { reads, changed, plans } = await observedSync();
    // Each slice's plan is made from the states that fit its bytes, the rest in the next slice.
    const expected = Array.from({ length: Math.ceil(40 / fit) }, (_, i) =>
      Math.min(fit, 40 - i * fit),
    );
    expect(plans).toEqual(expected);
    for (const length of reads) expect(length).toBeLessThanOrEqual(SLICE_BYTES);
    // Deprecated in groups written by 16 MiB of the state they hold, as new texts are, so what
    // was read is let go as the commit goes: never the forty connectors' update at once.
    expect(Math.max(...changed)).toBeLessThan(40);
    expect(changed.filter((count) => count > 1).length).toBeGreaterThan(1);
    const statuses = await h.query<{ status: string; n: number }>(
      `SELECT status, count(*)::int AS n FROM connector GROUP BY status ORDER BY status`,
    );
    expect(statuses).toEqual([
      { status: 'beta', n: 1 },
      { status: 'deprecated', n: 40 },
    ]);
  });

  it("a dry run from an earlier revision reads the manifest then latest, not a connector's history", async () => {
    const first = h.commit('start');
    for (let round = 1; round <= 30; round++) {
      for (const slug of ['gmail', 'slack'])
        h.writeManifest(buildManifest({ slug, description: `Round ${round}.` }));
      h.commit(`round ${round}`);
    }
    expect((await h.sync()).versionsCreated).toBe(60);
    // From the third round on: what a real sync of that range would write, from the state then.
    const since = h.repo.git('rev-list', '--reverse', `${first}..HEAD`).split('\n')[2] as string;
    const { report, manifests } = await observedSync({ since, dryRun: true });
    expect(report.commitsApplied).toBe(27);
    expect(report.versionsCreated).toBe(54);
    // Two connectors, one manifest each: the version latest at `since`, not their 30 versions.
    expect(manifests).toBe(2);
  });
});
