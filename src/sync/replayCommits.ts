import { type Kysely, sql } from 'kysely';
import { readConnectorStates } from '../db/operations/connectors/readConnectorStates.js';
import { assertNotSuspended } from '../db/operations/control/assertNotSuspended.js';
import { lockCursor } from '../db/operations/cursor/lockCursor.js';
import { writeCursor } from '../db/operations/cursor/writeCursor.js';
import { applyPlan } from '../db/operations/plan/applyPlan.js';
import type { Schema } from '../db/schema.js';
import { advanceState } from '../plan/advanceState.js';
import { planRevision } from '../plan/planRevision.js';
import type { ConnectorState, ManifestFile, PlanCommit, PlanOutcome } from '../plan/types.js';
import { clockOf, newIdOf } from './defaults.js';
import { listRevisionFiles, readFileTexts } from './readRevisionFiles.js';
import type { SyncContext, SyncTarget } from './types.js';

/** Another process advanced the cursor while this one read: start again from where it is. */
export class CursorMovedError extends Error {
  override name = 'CursorMovedError';
  constructor(readonly actual: string | null) {
    super(`the cursor moved to ${actual ?? 'nothing'} under this pass`);
  }
}

/** Options for {@link replayCommits}. */
export interface ReplayOptions {
  /** Replay commits after this revision (exclusive); null from the root. */
  since: string | null;
  /** The cursor this pass expects to find under the lock (what it read before starting). */
  expected: string | null;
  dryRun: boolean;
  /** Called once per commit applied (or planned, in a dry run), with what its plans decided. */
  onCommit: (outcomes: PlanOutcome[]) => void;
  /** A dry run's reader of the state it starts from. @default the database's state now */
  readStates?: (slugs: string[]) => Promise<Map<string, ConnectorState>>;
}

/** Manifests read, planned and written together within one commit's transaction. */
const SLICE = 1000;

/**
 * Runs `write` under the cursor's lock when the cursor is still `expected`. Returns false, writing
 * nothing, when another process has meanwhile applied `revision` itself (the cursor is on it).
 */
async function commitTransaction(
  db: Kysely<Schema>,
  target: SyncTarget,
  expected: string | null,
  revision: string,
  durable: boolean,
  write: (trx: Kysely<Schema>) => Promise<void>,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const actual = await lockCursor(trx, target);
    if (actual === revision && actual !== expected) return false;
    if (actual !== expected) throw new CursorMovedError(actual);
    await assertNotSuspended(trx, target);
    // Inside a pass, waiting for each commit's WAL flush is most of its cost (~4 ms here). A crash
    // can lose only a suffix of such commits, each whole with its cursor move, so they are simply
    // applied again; the pass's last transaction is durable and flushes all before it.
    if (!durable) await sql`SET LOCAL synchronous_commit = off`.execute(trx);
    await write(trx);
    return true;
  });
}

/**
 * Replays the branch's first-parent commits after `since`, one transaction per commit that
 * touches a manifest: lock, check the cursor, read state, plan, apply, move the cursor. A crash
 * leaves each commit applied wholly or not at all. Commits that touch no manifest only move the
 * cursor, folded into the next transaction. Returns how many commits were applied.
 */
export async function replayCommits(
  context: SyncContext,
  target: SyncTarget,
  options: ReplayOptions,
): Promise<number> {
  const { repository, database, config } = context;
  const db = database.db;
  const clock = clockOf(context);
  const newId = newIdOf(context);
  const total = context.onProgress
    ? await repository.countCommits({ since: options.since, until: target.head })
    : 0;
  let expected = options.expected;
  let skipped: string | null = null;
  let done = 0;
  let applied = 0;
  // A dry run writes nothing, so it carries the state each plan would leave to the next commit.
  let overlay = new Map<string, ConnectorState>();
  // PGlite has no background WAL writer: asynchronous commits would wait for the pass's last
  // one, and a crash mid-pass would lose all of them. Only a server flushes them on its own.
  const asyncCommits = database.backend === 'postgres';

  const commits = repository.readCommits({
    since: options.since,
    until: target.head,
    dir: target.path,
  });
  const iterator = commits[Symbol.asyncIterator]();
  // One commit ahead, so the pass knows which transaction is its last (the durable one).
  try {
    for (let next = await iterator.next(); !next.done; ) {
      const commit = next.value;
      next = await iterator.next();
      const last = next.done === true;
      context.signal?.throwIfAborted();
      context.onProgress?.(++done, total);
      if (commit.changes.length === 0) {
        skipped = commit.sha;
        continue;
      }
      if (commit.notes.length > 0 && !options.dryRun) {
        context.logger.warn(
          { revision: commit.sha, notes: commit.notes },
          'commit metadata out of range: stored what can be stored',
        );
      }
      const entries = listRevisionFiles(commit);
      const planFor = (files: ManifestFile[], state: Map<string, ConnectorState>) =>
        planRevision({
          commit: toPlanCommit(commit),
          files,
          state,
          policy: config.versionPolicy,
          newId,
          now: clock(),
        });
      if (options.dryRun) {
        const files = await readFileTexts(repository, entries);
        const slugs = files.map((file) => file.slug);
        const unread = slugs.filter((slug) => !overlay.has(slug));
        const stored = options.readStates
          ? await options.readStates(unread)
          : await readConnectorStates(db, { slugs: unread });
        for (const [slug, state] of stored) overlay.set(slug, state);
        const plan = planFor(files, overlay);
        overlay = advanceState(overlay, plan);
        options.onCommit([plan]);
      } else {
        let outcomes: PlanOutcome[] = [];
        const wrote = await commitTransaction(
          db,
          target,
          expected,
          commit.sha,
          last || !asyncCommits,
          async (trx) => {
            outcomes = [];
            // A commit of 100,000 manifests is read, planned and written a slice at a time, in its
            // one transaction: memory stays bounded by the slice, not the commit.
            for (let start = 0; start < entries.length; start += SLICE) {
              const files = await readFileTexts(repository, entries.slice(start, start + SLICE));
              const plan = planFor(
                files,
                await readConnectorStates(trx, { slugs: files.map((f) => f.slug) }),
              );
              await applyPlan(trx, plan, { ...target, now: clock() });
              outcomes.push({
                revision: plan.revision,
                refusals: plan.refusals,
                decisions: plan.decisions,
              });
            }
            await writeCursor(trx, { ...target, revision: commit.sha, now: clock() });
          },
        );
        expected = commit.sha;
        skipped = null;
        // Either way the cursor is now at this commit (another process may have applied it).
        context.onCursor?.(commit.sha);
        if (!wrote) continue; // another process applied this commit
        context.logger.debug({ revision: commit.sha, durable: last }, 'applied commit');
        options.onCommit(outcomes);
      }
      skipped = null;
      applied++;
    }
  } finally {
    // Stops `git log` when the pass ends early (abort, another process moved the cursor).
    await iterator.return?.();
  }
  if (skipped && !options.dryRun) {
    const revision = skipped;
    await commitTransaction(db, target, expected, revision, true, (trx) =>
      writeCursor(trx, { ...target, revision, now: clock() }),
    );
    context.onCursor?.(revision);
  }
  return applied;
}

function toPlanCommit(commit: PlanCommit): PlanCommit {
  const { sha, authorName, authorEmail, authoredAt, committedAt, message } = commit;
  return { sha, authorName, authorEmail, authoredAt, committedAt, message };
}
