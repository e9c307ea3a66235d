import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeSuspension } from '../../../src/db/operations/control/writeSuspension.js';
import { readCursor } from '../../../src/db/operations/cursor/readCursor.js';
import { type CommitChanges, type GitRepository, openRepository } from '../../../src/git/index.js';
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

// Fault injection over a real repository: git still reads every commit; these wrappers only make
// its `git log` fail partway or give commits slowly, which a real git does on a broken object or
// a busy disk, at moments a test cannot choose otherwise.

/** The repository, with each commit `git log` gives passed through `pass` first. */
function wrapLog(
  repository: GitRepository,
  pass: (commit: CommitChanges, given: number) => Promise<void>,
): GitRepository {
  return new Proxy(repository, {
    get(target, property) {
      if (property === 'readCommits') {
        return (options: Parameters<GitRepository['readCommits']>[0]) =>
          (async function* () {
            let given = 0;
            for await (const commit of target.readCommits(options)) {
              await pass(commit, given++);
              yield commit;
            }
          })();
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** The repository, with `git log` failing once it has given `count` commits. */
function failingLog(repository: GitRepository, count: number): GitRepository {
  return wrapLog(repository, async (_, given) => {
    if (given === count) throw new Error('git log died');
  });
}

/**
 * The repository, with `git log` slow to give each commit (a long history, a busy disk); `given`
 * counts the commits it gave.
 */
function slowLog(repository: GitRepository, ms: number, given = { count: 0 }): GitRepository {
  return wrapLog(repository, async () => {
    await sleep(ms);
    given.count++;
  });
}

/** Syncs gmail's edition 0, then commits editions 1..`editions`; their shas. */
async function syncThenCommit(editions: number): Promise<string[]> {
  commitEditions(h, 0, 0);
  await h.sync();
  return commitEditions(h, 1, editions);
}

describe('a replay reading the next batch while one is written', () => {
  it(
    "a batch's failed write (suspended meanwhile) is an error of the run, never an unhandled rejection",
    async () => {
      const unhandled: unknown[] = [];
      const onUnhandled = (reason: unknown) => unhandled.push(reason);
      process.on('unhandledRejection', onUnhandled);
      try {
        commitEditions(h, 0, 0);
        const first = await h.sync();
        const key = { repository: first.repository, branch: first.branch };
        commitEditions(h, 1, 8);
        const opened = await openRepository({ path: h.repo.path });
        const { replay, database } = await startReplay(h, slowLog(opened, 500));
        // Batch 1 (gmail 1) is written; an operator suspends syncing before batch 2 (gmail 2, 3).
        expect((await replay.next()).value).toMatchObject({ kind: 'applied' });
        await writeSuspension(database.db, {
          ...key,
          suspended: true,
          by: 'alice',
          reason: 'incident',
          now: new Date(),
        });
        // Batch 2's write is refused under its lock while the loop waits for gmail 5, 6 from git log.
        const { error } = await drain(replay);
        await opened.close();
        expect(error?.name).toBe('SuspendedError');
        await sleep(50);
        expect(unhandled).toEqual([]);
      } finally {
        process.off('unhandledRejection', onUnhandled);
      }
    },
    SLOW,
  );

  it(
    'a batch committed before git log fails is still reported (its applied event, as before the read-ahead)',
    async () => {
      const shas = await syncThenCommit(8);
      const opened = await openRepository({ path: h.repo.path });
      const { replay, database, target } = await startReplay(h, failingLog(opened, 3));
      const { applied, error } = await drain(replay);
      await opened.close();
      expect(error?.message).toBe('git log died');
      // Batch 1 (gmail 1) was committed: the cursor is there, and the run said so.
      expect((await readCursor(database.db, target))?.revision).toBe(shas[0]);
      expect(applied).toEqual([shas[0]]);
    },
    SLOW,
  );

  it(
    'an abort stops reading the next batch at the next commit, and the batch written is reported',
    async () => {
      await syncThenCommit(12);
      const opened = await openRepository({ path: h.repo.path });
      const given = { count: 0 };
      const abort = new AbortController();
      const { replay } = await startReplay(h, slowLog(opened, 100, given), abort.signal);
      let atAbort = 0;
      const { applied, error } = await drain(replay, (event, appliedSoFar) => {
        // The abort comes while the next batch is being read from git (100 ms a commit).
        if (event.kind === 'applied' && appliedSoFar.length === 1)
          setTimeout(() => {
            atAbort = given.count;
            abort.abort();
          }, 150);
      });
      await opened.close();
      expect(error?.name).toBe('AbortError');
      // Stopped at the next commit read, not after the whole next batch (up to 256 commits).
      expect(given.count).toBeLessThanOrEqual(atAbort + 1);
      expect(given.count).toBeLessThan(12);
      // Whatever was committed is what the run reported.
      const [row] = await h.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM connectorversion WHERE commit_sha IS NOT NULL`,
      );
      expect(row?.n).toBe(1 + applied.length);
    },
    SLOW,
  );
});
