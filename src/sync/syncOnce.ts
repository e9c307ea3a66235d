import { readCursor } from '../db/operations/cursor/readCursor.js';
import { recordRun } from '../db/operations/runs/recordRun.js';
import { ConfigError } from '../errors.js';
import type { SyncPlan } from '../plan/types.js';
import { CursorMovedError, replayCommits } from './replayCommits.js';
import { resyncSnapshot } from './resyncSnapshot.js';
import { resolveTarget } from './target.js';
import type { SyncContext, SyncReport, SyncTarget } from './types.js';

/** Options for {@link syncOnce}. */
export interface SyncOnceOptions {
  /** 'sync' replays commits after the cursor; 'resync' reconciles the head's snapshot. @default 'sync' */
  kind?: 'sync' | 'resync';
  /** Plan and report, write nothing. @default false */
  dryRun?: boolean;
  /** Replay from this revision (exclusive) instead of the cursor. */
  since?: string;
}

/**
 * One pass: read the cursor, then replay the commits after it (or, when the cursor has left the
 * branch or a resync is asked for, reconcile the head's snapshot), and log the run. The only
 * place where I/O and logic meet; everything it decides comes from the pure planner.
 */
export async function syncOnce(
  context: SyncContext,
  options: SyncOnceOptions = {},
): Promise<SyncReport> {
  const { repository, database, logger } = context;
  const clock = context.clock ?? (() => new Date());
  const started = clock();
  const target = await resolveTarget(context.config, repository);
  const dryRun = options.dryRun ?? false;
  const report = emptyReport(options.kind ?? 'sync', dryRun, target);
  const collect = (plan: SyncPlan) => addPlan(report, plan);
  try {
    let since = options.since ? await resolveSince(context, options.since) : undefined;
    // Cursors other processes moved this pass onto: coming back to one means no progress.
    const seen = new Set<string | null>();
    for (;;) {
      const cursor = (await readCursor(database.db, target))?.revision ?? null;
      report.from = cursor;
      const from = since ?? cursor;
      const ahead =
        report.kind === 'sync' &&
        from !== null &&
        from !== target.head &&
        (await repository.isAncestor(target.head, from));
      if (ahead) {
        // Another process synced past the head this pass read: nothing to do, nothing to undo.
        report.to = from;
        break;
      }
      const rewritten = from !== null && !(await repository.isAncestor(from, target.head));
      if (report.kind === 'resync' || rewritten) {
        report.historyRewritten = rewritten;
        if (rewritten)
          logger.warn(
            { cursor: from, head: target.head },
            'history rewritten: reconciling the head snapshot',
          );
        collect(await resyncSnapshot(context, target, { dryRun, rewritten }));
        break;
      }
      if (from === target.head) break;
      try {
        // Counted per plan, so commits applied before another process moved the cursor count too.
        await replayCommits(context, target, {
          since: from,
          expected: cursor,
          dryRun,
          onPlan: (plan) => {
            report.commitsApplied++;
            collect(plan);
          },
        });
        break;
      } catch (error) {
        if (!(error instanceof CursorMovedError) || seen.has(error.actual)) throw error;
        seen.add(error.actual);
        logger.info(
          { cursor: error.actual },
          'another process advanced the cursor: continuing from there',
        );
        since = undefined;
      }
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

function addPlan(report: SyncReport, plan: SyncPlan): void {
  report.connectorsCreated += plan.newConnectors.length;
  report.versionsCreated += plan.newVersions.length;
  report.refusals.push(...plan.refusals);
  for (const decision of plan.decisions) {
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
  const interrupted = error && context.signal?.aborted;
  const outcome = interrupted
    ? 'interrupted'
    : error
      ? 'failed'
      : report.refusals.length > 0
        ? 'refused'
        : changed
          ? 'applied'
          : 'noop';
  await recordRun(context.database.db, {
    id: crypto.randomUUID(),
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
    finished_at: (context.clock ?? (() => new Date()))().toISOString(),
  });
}
