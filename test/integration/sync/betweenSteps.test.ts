import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readCursor } from '../../../src/db/operations/cursor/readCursor.js';
import { openRepository } from '../../../src/git/index.js';
import { runOperatorAction } from '../../../src/sync/operate.js';
import { replayCommits } from '../../../src/sync/replayCommits.js';
import { resolveTarget } from '../../../src/sync/target.js';
import { buildManifest, manifestText } from '../../helpers/manifestBuilder.js';
import { createSyncHarness, type SyncHarness, silentLogger } from './harness.js';

const SLOW = 180_000;
let h: SyncHarness;
beforeEach(async () => {
  h = await createSyncHarness();
});
afterEach(async () => {
  await h.close();
});

describe('a replay across its transactions', () => {
  it(
    'an operator rollback+pin taken between two steps of one replay is respected by the next step',
    async () => {
      h.writeManifest(buildManifest({ description: 'Gmail, edition 0.' }));
      h.commit('gmail 0');
      const first = await h.sync();
      const key = { repository: first.repository, branch: first.branch };
      for (let i = 1; i <= 2; i++) {
        h.writeManifest(buildManifest({ description: `Gmail, edition ${i}.` }));
        h.commit(`gmail ${i}`);
      }
      const database = await h.db();
      const repository = await openRepository({ path: h.repo.path });
      const context = { config: h.config, repository, database, logger: silentLogger };
      const target = await resolveTarget(h.config, repository, database.db);
      const cursor = (await readCursor(database.db, target))?.revision ?? null;
      const replay = replayCommits(context, target, {
        since: cursor,
        expected: cursor,
        dryRun: false,
      });
      // The first batch is one commit (gmail 1 -> 1.0.1): its transaction is committed here.
      const one = await replay.next();
      expect(one.value).toMatchObject({ kind: 'applied' });
      // An operator's action waiting on the cursor lock gets it between two steps of the run.
      const verdict = await runOperatorAction(
        database.db,
        key,
        { action: 'rollback', slug: 'gmail', to: null, reason: 'bad', until: null },
        { actor: { name: 'alice', via: 'cli' }, now: new Date() },
      );
      expect(verdict).toMatchObject({ ok: true });
      for await (const _ of { [Symbol.asyncIterator]: () => replay }) {
      }
      await repository.close();
      const versions = await h.versions('gmail');
      expect(versions.map((v) => v.version)).toEqual(['1.0.0', '1.0.1', '1.0.2']);
      // The pin holds the pointer on 1.0.0: the next commit's version must not move it.
      expect(versions.find((v) => v.is_latest)?.version).toBe('1.0.0');
    },
    SLOW,
  );

  it(
    'a pin taken before the next step is respected after a step that wrote in the middle',
    async () => {
      h.writeManifest(buildManifest({ description: 'Gmail, edition 0.' }));
      h.commit('gmail 0');
      const first = await h.sync();
      const key = { repository: first.repository, branch: first.branch };
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
      h.writeManifest(buildManifest({ description: 'Gmail, edition 2.' }));
      h.commit('gmail 2');
      const database = await h.db();
      const repository = await openRepository({ path: h.repo.path });
      const context = { config: h.config, repository, database, logger: silentLogger };
      const target = await resolveTarget(h.config, repository, database.db);
      const cursor = (await readCursor(database.db, target))?.revision ?? null;
      const replay = replayCommits(context, target, {
        since: cursor,
        expected: cursor,
        dryRun: false,
      });
      expect((await replay.next()).value).toMatchObject({ kind: 'applied' });
      expect(
        await runOperatorAction(
          database.db,
          key,
          { action: 'rollback', slug: 'gmail', to: null, reason: 'bad', until: null },
          { actor: { name: 'alice', via: 'cli' }, now: new Date() },
        ),
      ).toMatchObject({ ok: true });
      for await (const _ of { [Symbol.asyncIterator]: () => replay }) {
      }
      await repository.close();
      const versions = await h.versions('gmail');
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
