import { readCursor } from '../db/operations/cursor/readCursor.js';
import { writeRun } from '../db/operations/runs/writeRun.js';
import { ConfigError, errorCodeOf } from '../errors.js';
import type { RevisionReport } from '../plan/types.js';
import { assertDirExisted, recordBinding } from './binding.js';
import { clockOf, newIdOf } from './defaults.js';
import { releaseExpiredPins } from './operate.js';
import { readStatesAt } from './readStatesAt.js';
import { replayCommits } from './replayCommits.js';
import { type ResyncAudit, resyncSnapshot } from './resyncSnapshot.js';
import { resolveTarget } from './target.js';
import type { SyncContext, SyncReport, SyncTarget } from './types.js';

/** Options for {@link syncOnce}. */
export interface SyncOnceOptions {
  /** 'sync' replays commits after the cursor; 'resync' plans the head's snapshot against the database. @default 'sync' */
  kind?: 'sync' | 'resync';
  /** Plan and report, write nothing. @default false */
  dryRun?: boolean;
  /** Replay from this revision (exclusive) instead of the cursor. */
  since?: string;
  /** Resync even when the cursor is not in the repository (history rewritten and collected). */
  force?: boolean;
  /** A resync an operator forced: recorded in the audit table, in the resync's own transaction. */
  audit?: ResyncAudit;
}

/**
 * One run: read the cursor, then replay the commits after it (or, when the cursor has left the
 * branch or a resync is asked for, resync from the head's snapshot), and log the run. The only
 * place where I/O and logic meet; everything it decides comes from the pure planner.
 */
export async function syncOnce(
  context: SyncContext,
  options: SyncOnceOptions = {},
): Promise<SyncReport> {
  const { repository, database, logger } = context;
  const clock = clockOf(context);
  const started = clock();
  const target = await resolveTarget(context.config, repository, database.db);
  const dryRun = options.dryRun ?? false;
  const report = emptyReport(options.kind ?? 'sync', dryRun, target);
  const collect = (plan: RevisionReport) => {
    addPlan(report, plan);
    context.onRevision?.(plan);
  };
  try {
    // The first sync records the binding, once the folder is known to be real: nothing moves before.
    if (!target.recorded) await assertDirExisted(repository, target);
    if (!dryRun) await recordBinding(context, target);
    // A pin past its `until` no longer holds: its pointer goes back to the newest version first.
    if (!dryRun) await releaseExpiredPins(database.db, target, clock());
    let since = options.since ? await resolveSince(context, options.since) : undefined;
    // Cursors other processes moved this run onto: coming back to one means no progress.
    const seen = new Set<string | null>();
    for (;;) {
      const cursor = (await readCursor(database.db, target))?.revision ?? null;
      report.from = cursor;
      if (since && !dryRun) await assertSinceNotBehind(context, since, cursor);
      const from = since ?? cursor;
      const where = await locateCursor(context, from, target.head);
      if (where === 'missing' && !(report.kind === 'resync' && options.force)) {
        // A stale clone and a rewritten, collected history look the same from here: only a person can tell.
        throw new ConfigError(
          `the last applied revision ${from?.slice(0, 10)} is not in ${repository.path}: this clone is behind ` +
            'the database (fetch first), or history was rewritten and the old commits are gone; if it was ' +
            'rewritten, `manifest-sync resync --force` brings the database to the head',
        );
      }
      if (where === 'ahead') {
        if (report.kind === 'resync') {
          throw new ConfigError(
            `the database is at ${from?.slice(0, 10)}, ahead of this checkout's ${target.branch} ` +
              `(${target.head.slice(0, 10)}): fetch or pull before a resync, or it would undo newer versions`,
          );
        }
        // Another process synced past the head this run read: nothing to do, nothing to undo.
        report.to = from ?? target.head;
        break;
      }
      const rewritten = where === 'off-branch' || where === 'missing';
      if (report.kind === 'resync' || rewritten) {
        // A head resynced without the folder deprecates everything: only if it was ever there.
        if (target.recorded) await assertDirExisted(repository, target);
        report.historyRewritten = rewritten;
        if (rewritten) {
          logger.warn(
            { cursor: from, head: target.head },
            "history rewritten: resyncing from the head's snapshot",
          );
        }
        const resynced = await resyncSnapshot(context, target, {
          dryRun,
          rewritten,
          expected: cursor,
          ...(options.audit ? { audit: options.audit } : {}),
        });
        if (resynced.ok) {
          collect(resynced.value);
          break;
        }
        assertProgress(seen, resynced.cursor);
        continue;
      }
      if (from === target.head) break;
      const replay = replayCommits(context, target, {
        since: from,
        expected: cursor,
        dryRun,
        ...(dryRun && since && (await startsBeforeCursor(context, since, cursor))
          ? { readStates: readStatesAt(context, target, since) }
          : {}),
      });
      let moved = false;
      // Counted per commit, so commits applied before another process moved the cursor count too.
      for await (const event of replay) {
        if (event.kind === 'applied') {
          report.commitsApplied++;
          for (const report of event.reports) collect(report);
        } else {
          assertProgress(seen, event.cursor);
          logger.info(
            { cursor: event.cursor },
            'another process advanced the cursor: continuing from there',
          );
          moved = true;
        }
      }
      if (!moved) break;
      since = undefined;
    }
  } catch (error) {
    report.durationMs = clock().getTime() - started.getTime();
    if (!dryRun) await logRun(context, report, started, error).catch(() => {});
    throw error;
  }
  report.durationMs = clock().getTime() - started.getTime();
  const eventful = report.commitsApplied > 0 || report.kind === 'resync' || report.historyRewritten;
  if (!dryRun && eventful) await logRun(context, report, started, null);
  return report;
}

/**
 * Another process moved the cursor under this run, which starts again from there; coming back to
 * a cursor seen before would go round in circles, so that is a failure.
 */
function assertProgress(seen: Set<string | null>, cursor: string | null): void {
  if (seen.has(cursor)) {
    throw new Error(
      `the cursor moved to ${cursor ?? 'nothing'} under this run again: another process keeps moving it back`,
    );
  }
  seen.add(cursor);
}

/** Where the cursor stands against the head. */
type CursorPlace = 'none' | 'head' | 'behind' | 'ahead' | 'off-branch' | 'missing';

async function locateCursor(
  context: SyncContext,
  cursor: string | null,
  head: string,
): Promise<CursorPlace> {
  if (cursor === null) return 'none';
  if (cursor === head) return 'head';
  const { repository } = context;
  // Behind first: a cursor found below the head exists, so a daemon's pass asks no more.
  if (await repository.isAncestor(cursor, head)) return 'behind';
  if ((await repository.resolveRevision(cursor)) === null) return 'missing';
  if (await repository.isAncestor(head, cursor)) return 'ahead';
  return 'off-branch';
}

/** `--since` before the cursor would replay applied commits and create their versions again. */
async function assertSinceNotBehind(
  context: SyncContext,
  since: string,
  cursor: string | null,
): Promise<void> {
  if (cursor === null || since === cursor) return;
  if (await context.repository.isAncestor(since, cursor)) {
    throw new ConfigError(
      `--since ${since.slice(0, 10)} is before the last applied revision ${cursor.slice(0, 10)}: replaying ` +
        'it would create versions again; look with --dry-run, or resync with `manifest-sync resync`',
    );
  }
}

/** A dry run from before the cursor plans from the state the database had there. */
async function startsBeforeCursor(
  context: SyncContext,
  since: string,
  cursor: string | null,
): Promise<boolean> {
  if (cursor === null || since === cursor) return false;
  return context.repository.isAncestor(since, cursor);
}

async function resolveSince(context: SyncContext, since: string): Promise<string> {
  const sha = await context.repository.resolveRevision(since);
  if (!sha)
    throw new ConfigError(`--since ${since}: no such revision in ${context.repository.path}`);
  return sha;
}

function emptyReport(kind: 'sync' | 'resync', dryRun: boolean, target: SyncTarget): SyncReport {
  return {
    kind,
    dryRun,
    repository: target.repository,
    branch: target.branch,
    from: null,
    to: target.head,
    commitsApplied: 0,
    connectorsCreated: 0,
    versionsCreated: 0,
    refusals: [],
    historyRewritten: false,
    decisions: [],
    durationMs: 0,
  };
}

function addPlan(report: SyncReport, plan: RevisionReport): void {
  report.refusals.push(...plan.refusals);
  for (const decision of plan.decisions) {
    // Each new version has exactly one decision: 'create' (with its new connector) or 'version'.
    if (decision.action === 'create') report.connectorsCreated++;
    if (decision.action === 'create' || decision.action === 'version') report.versionsCreated++;
    if (decision.action !== 'unchanged')
      report.decisions.push({ ...decision, revision: plan.revision });
  }
}

async function logRun(
  context: SyncContext,
  report: SyncReport,
  started: Date,
  error: unknown,
): Promise<void> {
  const changed = report.commitsApplied > 0 || report.decisions.length > 0;
  // A stop between commits (SIGTERM) is not a failure: what was applied stays applied.
  const interrupted = error && (context.signal?.aborted || errorCodeOf(error) === 'suspended');
  const outcome = interrupted
    ? 'interrupted'
    : error
      ? 'failed'
      : report.refusals.length > 0
        ? 'refused'
        : changed
          ? 'applied'
          : 'noop';
  await writeRun(context.database.db, {
    id: newIdOf(context)(),
    repository: report.repository,
    branch: report.branch,
    kind: report.kind,
    outcome,
    from_revision: report.from,
    to_revision: report.to,
    commits_applied: report.commitsApplied,
    versions_created: report.versionsCreated,
    manifests_refused: report.refusals.length,
    history_rewritten: report.historyRewritten,
    error: error ? String((error as Error).message ?? error) : null,
    started_at: started.toISOString(),
    finished_at: clockOf(context)().toISOString(),
  });
}
