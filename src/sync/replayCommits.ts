import { readConnectorStates } from '../db/operations/connectors/readConnectorStates.js';
import type { CommitChanges, CommitInfo } from '../git/index.js';
import type { RevisionReport } from '../plan/types.js';
import { CommitPlanner } from './commitPlanner.js';
import { clockOf, newIdOf } from './defaults.js';
import {
  CARRY_LIMITS,
  planSlices,
  type Read as ReadOf,
  SLICE,
  type Slices,
  sliceReads,
} from './planSlices.js';
import { listRevisionFiles } from './readRevisionFiles.js';
import type { ReadStatesWithin } from './readStatesAt.js';
import { runStep } from './runStep.js';
import type { SyncContext, SyncTarget } from './types.js';

/** Options for {@link replayCommits}. */
export interface ReplayOptions {
  /** Replay commits after this revision (exclusive); null from the root. */
  since: string | null;
  /** The cursor this run expects to find under the lock (what it read before starting). */
  expected: string | null;
  dryRun: boolean;
  /** A dry run's reader of the state it starts from. @default the database's state now */
  readStates?: ReadStatesWithin;
}

/** What the replay did, commit by commit, as it goes. */
export type ReplayEvent =
  /** A commit applied (or planned, in a dry run), with what its plans decided. */
  | { kind: 'applied'; revision: string; reports: RevisionReport[] }
  /** Another process moved the cursor: nothing more was written; start again from `cursor`. */
  | { kind: 'moved'; cursor: string | null };

/** Commits touching manifests per transaction at most. */
const MAX_COMMITS = 256;

/**
 * A commit read from git with the manifests it touched (one entry per slug). Its raw changes are
 * not kept: the entries say all the plan needs, and a commit of 100,000 manifests held both.
 */
type Read = ReadOf<CommitInfo>;

/**
 * Replays the branch's first-parent commits after `since` in batches, each one transaction (see
 * `runStep`): commits are planned one after another in memory, each from the state the previous
 * ones leave, and written together with the cursor moved to the batch's last commit. A crash
 * leaves whole commits applied, never part of one. The first batch is one commit (a daemon's new
 * commit is written at once), and each next batch may be twice as large, up to MAX_COMMITS
 * commits or SLICE manifests.
 */
export async function* replayCommits(
  context: SyncContext,
  target: SyncTarget,
  options: ReplayOptions,
): AsyncGenerator<ReplayEvent> {
  const { repository, database, config } = context;
  const total = context.onProgress
    ? await repository.countCommits({ since: options.since, until: target.head })
    : 0;
  const readStates = options.readStates;
  const planner = new CommitPlanner(
    (db, read) => (readStates ? readStates(read) : readConnectorStates(db, read)),
    {
      policy: config.versionPolicy,
      newId: newIdOf(context),
      clock: clockOf(context),
      ...CARRY_LIMITS,
    },
  );
  let expected = options.expected;
  let done = 0;
  let limit = 1;
  // Commits read and not yet written, with how many touch manifests and how many manifests.
  let batch: Read[] = [];
  let changed = 0;
  let files = 0;
  // PGlite has no background WAL writer: asynchronous commits would wait for the run's last
  // one, and a crash mid-run would lose all of them. Only a server flushes them on its own.
  const asyncCommits = database.backend === 'postgres';

  const iterator = repository
    .readCommits({ since: options.since, until: target.head, dir: target.path })
    [Symbol.asyncIterator]();
  // The batch being written. Meanwhile the next one is read from git, and its first manifests
  // are read and checked: the thread has little else to do while a batch's last write and its
  // commit finish. Batches are still written one after another.
  let writing: { reads: Read[]; last: boolean; written: ReturnType<typeof writeBatch> } | null =
    null;
  // One commit ahead, so the run knows which transaction is its last (the durable one).
  try {
    for (let next = await iterator.next(); !next.done; ) {
      let read: Read;
      let last: boolean;
      try {
        context.signal?.throwIfAborted();
        read = toRead(next.value);
        next = await iterator.next();
        last = next.done === true;
      } catch (error) {
        // Reading ahead failed (git log, an abort): the batch being written is still reported.
        yield* settle();
        throw error;
      }
      batch.push(read);
      if (read.entries.length > 0) changed++;
      files += read.entries.length;
      if (!last && changed < limit && files < SLICE) continue;
      const reads = batch;
      const touched = changed > 0;
      batch = [];
      changed = 0;
      files = 0;
      if (touched) limit = Math.min(limit * 2, MAX_COMMITS);
      // Commits touching no manifest only move the cursor: in the run's last transaction.
      const writes = touched || (last && !options.dryRun);
      const prepared = writes ? sliceReads(repository, reads) : null;
      if (!(yield* settle())) return;
      if (prepared) {
        const written = writeBatch(reads, last, prepared);
        written.catch(() => {}); // settled by settle() or the finally below, never unheard
        writing = { reads, last, written };
      } else for (const _ of reads) context.onProgress?.(++done, total);
    }
    yield* settle();
  } finally {
    // A batch being written when the run stops early (an abort, an error) ends first, whole.
    await writing?.written.catch(() => {});
    // Stops `git log` when the run ends early (abort, another process moved the cursor).
    await iterator.return?.();
  }

  /**
   * Waits for the batch being written, if any, and reports it: its commits, or a cursor another
   * process moved (then false: the run ends). A failed write throws here.
   */
  async function* settle(): AsyncGenerator<ReplayEvent, boolean> {
    if (!writing) return true;
    const { reads, last, written: promise } = writing;
    const written = await promise;
    writing = null;
    if (!written.ok) {
      yield { kind: 'moved', cursor: written.cursor };
      return false;
    }
    yield* reported(written.value, reads, last);
    return true;
  }

  /** What a written batch says, commit by commit, each step of progress as its commit is told. */
  function* reported(
    reports: Map<string, RevisionReport[]>,
    reads: Read[],
    last: boolean,
  ): Generator<ReplayEvent> {
    for (const { commit } of reads) {
      context.onProgress?.(++done, total);
      // Every commit touching a manifest was planned, so it has reports; the others are skipped.
      const planned = reports.get(commit.sha);
      if (!planned) continue;
      if (!options.dryRun)
        context.logger.debug({ revision: commit.sha, durable: last }, 'applied commit');
      yield { kind: 'applied', revision: commit.sha, reports: planned };
    }
  }

  async function writeBatch(reads: Read[], last: boolean, slices: Slices) {
    const revision = (reads.at(-1) as Read).commit.sha;
    for (const { commit } of reads) {
      if (commit.notes.length > 0 && !options.dryRun) {
        context.logger.warn(
          { revision: commit.sha, notes: commit.notes },
          'commit metadata out of range: stored what can be stored',
        );
      }
    }
    const written = await runStep(
      context,
      target,
      {
        revision,
        plan: async (db, write) => {
          // A new transaction: what was carried was read under an earlier lock (dry runs take none).
          if (!options.dryRun) planner.reset();
          const reports = new Map<string, RevisionReport[]>();
          await planSlices(db, { repository, planner, write }, slices, (plan) => {
            const list = reports.get(plan.revision) ?? [];
            list.push({
              revision: plan.revision,
              refusals: plan.refusals,
              decisions: plan.decisions,
            });
            reports.set(plan.revision, list);
          });
          return reports;
        },
      },
      { dryRun: options.dryRun, expected, durable: last || !asyncCommits },
    );
    if (written.ok && !options.dryRun) {
      expected = revision;
      context.onCursor?.(revision);
    }
    return written;
  }
}

/**
 * A commit's manifests, one entry per slug, and its metadata without the raw changes. Empties
 * `changes`: the iterator's own frame may still hold the commit it yielded (a stale register) for
 * as long as the run lasts, and a commit of 100,000 manifests held 7 MB of changes that way.
 */
function toRead({ changes, ...commit }: CommitChanges): Read {
  const entries = listRevisionFiles({ changes });
  changes.length = 0;
  return { commit, entries };
}
