import { readConnectorStates } from '../db/operations/connectors/readConnectorStates.js';
import type { CommitChanges } from '../git/index.js';
import type { ConnectorState, PlanCommit, PlanOutcome } from '../plan/types.js';
import { CommitPlanner } from './commitPlanner.js';
import { clockOf, newIdOf } from './defaults.js';
import { listRevisionFiles, readFileTexts } from './readRevisionFiles.js';
import { runStep } from './runStep.js';
import type { SyncContext, SyncTarget } from './types.js';

/** Options for {@link replayCommits}. */
export interface ReplayOptions {
  /** Replay commits after this revision (exclusive); null from the root. */
  since: string | null;
  /** The cursor this pass expects to find under the lock (what it read before starting). */
  expected: string | null;
  dryRun: boolean;
  /** A dry run's reader of the state it starts from. @default the database's state now */
  readStates?: (slugs: string[]) => Promise<Map<string, ConnectorState>>;
}

/** What the replay did, commit by commit, as it goes. */
export type ReplayEvent =
  /** A commit applied (or planned, in a dry run), with what its plans decided. */
  | { kind: 'applied'; revision: string; outcomes: PlanOutcome[] }
  /** Another process moved the cursor: nothing more was written; start again from `cursor`. */
  | { kind: 'moved'; cursor: string | null };

/** Manifests read, planned and written together within one commit's transaction. */
const SLICE = 1000;

/**
 * Replays the branch's first-parent commits after `since`, one transaction per commit that
 * touches a manifest (see `runStep`): a crash leaves each commit applied wholly or not at all.
 * Commits that touch no manifest only move the cursor, folded into the next transaction.
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
    (db, slugs) => (readStates ? readStates(slugs) : readConnectorStates(db, { slugs })),
    { policy: config.versionPolicy, newId: newIdOf(context), clock: clockOf(context) },
  );
  let expected = options.expected;
  let done = 0;
  /** Reports `count` more commits read (and written, in a real run). */
  const report = (count: number) => {
    for (let k = 1; k <= count; k++) context.onProgress?.(done + k, total);
    return count;
  };
  // Commits read and not yet written: those touching no manifest, then the one that does.
  let batch: CommitChanges[] = [];
  // PGlite has no background WAL writer: asynchronous commits would wait for the pass's last
  // one, and a crash mid-pass would lose all of them. Only a server flushes them on its own.
  const asyncCommits = database.backend === 'postgres';

  const iterator = repository
    .readCommits({ since: options.since, until: target.head, dir: target.path })
    [Symbol.asyncIterator]();
  // One commit ahead, so the pass knows which transaction is its last (the durable one).
  try {
    for (let next = await iterator.next(); !next.done; ) {
      const commit = next.value;
      next = await iterator.next();
      const last = next.done === true;
      context.signal?.throwIfAborted();
      batch.push(commit);
      // Only a real run's last transaction moves the cursor over commits that touch no manifest.
      if (commit.changes.length === 0 && (!last || options.dryRun)) continue;
      if (commit.notes.length > 0 && !options.dryRun) {
        context.logger.warn(
          { revision: commit.sha, notes: commit.notes },
          'commit metadata out of range: stored what can be stored',
        );
      }
      const written = await runStep(
        context,
        target,
        {
          revision: commit.sha,
          plan: async (db, write) => {
            const outcomes: PlanOutcome[] = [];
            // A commit of 100,000 manifests is read, planned and written a slice at a time, in
            // its one transaction: memory stays bounded by the slice, not the commit.
            const entries = listRevisionFiles(commit);
            for (let start = 0; start < entries.length; start += SLICE) {
              const files = await readFileTexts(repository, entries.slice(start, start + SLICE));
              const plan = await planner.plan(db, toPlanCommit(commit), files);
              if (await write(plan)) planner.forget();
              const { revision, refusals, decisions } = plan;
              outcomes.push({ revision, refusals, decisions });
            }
            return outcomes;
          },
        },
        { dryRun: options.dryRun, expected, durable: last || !asyncCommits },
      );
      if (!written.ok) {
        yield { kind: 'moved', cursor: written.cursor };
        return;
      }
      if (!options.dryRun) {
        expected = commit.sha;
        context.onCursor?.(commit.sha);
      }
      done += report(batch.length);
      batch = [];
      if (commit.changes.length === 0) continue;
      if (!options.dryRun) {
        context.logger.debug({ revision: commit.sha, durable: last }, 'applied commit');
      }
      yield { kind: 'applied', revision: commit.sha, outcomes: written.value };
    }
    done += report(batch.length);
  } finally {
    // Stops `git log` when the pass ends early (abort, another process moved the cursor).
    await iterator.return?.();
  }
}

function toPlanCommit(commit: PlanCommit): PlanCommit {
  const { sha, authorName, authorEmail, authoredAt, committedAt, message } = commit;
  return { sha, authorName, authorEmail, authoredAt, committedAt, message };
}
