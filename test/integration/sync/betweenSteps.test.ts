import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openRepository } from '../../../src/git/index.js';
import { runOperatorAction } from '../../../src/sync/operate.js';
import { buildManifest, manifestText } from '../../helpers/manifestBuilder.js';
import { createSyncHarness, type SyncHarness } from './harness.js';
import { commitEditions, drain, startReplay } from './replayDriver.js';

const SLOW = 180_000;
let h: SyncHarness;
beforeEach(async () => {
  h = await createSyncHarness();
});
afterEach(async () => {
  await h.close();
});

/**
 * Replays what is committed after gmail 0 (synced first); once its first transaction (gmail 1) is
 * committed, an operator rolls gmail back (which pins it on 1.0.0), as an action waiting on the
 * cursor lock would get in between two steps of the run. Gmail's versions at the end.
 */
async function rollbackBetweenSteps(key: { repository: string; branch: string }) {
  const repository = await openRepository({ path: h.repo.path });
  try {
    const { replay, database } = await startReplay(h, repository);
    expect((await replay.next()).value).toMatchObject({ kind: 'applied' });
    const verdict = await runOperatorAction(
      database.db,
      key,
      { action: 'rollback', slug: 'gmail', to: null, reason: 'bad', until: null },
      { actor: { name: 'alice', via: 'cli' }, now: new Date() },
    );
    expect(verdict).toMatchObject({ ok: true });
    expect((await drain(replay)).error).toBeNull();
  } finally {
    await repository.close();
  }
  return h.versions('gmail');
}

/** Syncs gmail's edition 0; the repository and branch the database is bound to. */
async function syncFirst() {
  commitEditions(h, 0, 0);
  const { repository, branch } = await h.sync();
  return { repository, branch };
}

describe('a replay across its transactions', () => {
  it(
    'an operator rollback+pin taken between two steps of one replay is respected by the next step',
    async () => {
      const key = await syncFirst();
      commitEditions(h, 1, 2);
      // The first batch is one commit (gmail 1 -> 1.0.1); the rollback comes after it.
      const versions = await rollbackBetweenSteps(key);
      expect(versions.map((v) => v.version)).toEqual(['1.0.0', '1.0.1', '1.0.2']);
      // The pin holds the pointer on 1.0.0: the next commit's version must not move it.
      expect(versions.find((v) => v.is_latest)?.version).toBe('1.0.0');
    },
    SLOW,
  );

  it(
    'a pin taken before the next step is respected after a step that wrote in the middle',
    async () => {
      const key = await syncFirst();
      // One commit with gmail and 600 more manifests: more than 1,000 rows, so a flush mid-step.
      h.writeManifest(buildManifest({ description: 'Gmail, edition 1.' }));
      for (let i = 0; i < 600; i++)
        h.repo.write(
          `manifests/other-${String(i).padStart(4, '0')}.json`,
          manifestText(
            buildManifest({ slug: `other-${String(i).padStart(4, '0')}`, name: `O ${i}` }),
          ),
        );
      h.commit('gmail 1 and 600 more');
      commitEditions(h, 2, 2);
      const versions = await rollbackBetweenSteps(key);
      expect(versions.map((v) => v.version)).toEqual(['1.0.0', '1.0.1', '1.0.2']);
      expect(versions.find((v) => v.is_latest)?.version).toBe('1.0.0');
    },
    SLOW,
  );

  it(
    "a background write's own error is what the step throws, not a later read's 'transaction is aborted'",
    async () => {
      const COUNT = 1_200;
      const slug = (i: number) => `bulk-${String(i).padStart(5, '0')}`;
      h.writeManifest(buildManifest({ description: 'seed' }));
      h.commit('seed');
      await h.sync();
      // The first flush (manifests 0..499) fails after a second; meanwhile the replay plans on and
      // reads the next slice's state on the same transaction.
      await h.query(`CREATE FUNCTION test_fail() RETURNS trigger AS $$
        BEGIN PERFORM pg_sleep(1); RAISE EXCEPTION 'the disk is full'; END $$ LANGUAGE plpgsql`);
      await h.query(`CREATE TRIGGER test_fail BEFORE INSERT ON connectorversion FOR EACH ROW
        WHEN (NEW.manifest->>'slug' = '${slug(0)}') EXECUTE FUNCTION test_fail()`);
      for (let i = 0; i < COUNT; i++)
        h.repo.write(
          `manifests/${slug(i)}.json`,
          manifestText(buildManifest({ slug: slug(i), name: `Bulk ${i}` })),
        );
      h.commit('bulk');
      const error = await h.sync().then(
        () => null,
        (e: unknown) => e as Error,
      );
      expect(error?.message).toMatch(/the disk is full/);
    },
    SLOW,
  );
});
