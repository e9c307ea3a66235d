import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Config, DaemonConfig } from '../config.js';
import type { Database } from '../db/connection.js';
import { migrateToLatest } from '../db/migrate.js';
import { readControl } from '../db/operations/control/readControl.js';
import { writeForcedResync } from '../db/operations/control/writeForcedResync.js';
import type { CursorKey } from '../db/operations/cursor/lockCursor.js';
import { type Leadership, tryLeadership } from '../db/operations/leader/tryLeadership.js';
import { SuspendedError } from '../errors.js';
import { type GitRepository, openRepository } from '../git/index.js';
import { updateMirror } from '../git/mirror.js';
import { readUnapplied } from '../sync/readUnapplied.js';
import { syncOnce } from '../sync/syncOnce.js';
import { resolveTarget } from '../sync/target.js';
import type { SyncReport } from '../sync/types.js';
import { ForcedResyncs, type ResyncTrigger } from './forcedResync.js';
import { LagTracker } from './lag.js';
import type { SyncMetrics } from './metrics.js';

/** What the daemon knows between passes: for readiness, metrics and shutdown. */
export interface PassState {
  migrated: boolean;
  /** A pass has completed (applied or, on a standby replica, checked). */
  firstPassDone: boolean;
  /** On PostgreSQL: whether this replica holds the applying lock; always true embedded. */
  leader: boolean;
  repository: GitRepository | null;
  lastReport: SyncReport | null;
  /** Suspended by an operator (kept in the database): the daemon watches and fetches, applies nothing. */
  suspension: { since: Date | null; by: string | null; reason: string | null } | null;
  /** Counts passes ended and ref moves seen: what readers see may have changed since (cache key). */
  generation: number;
}

/** Dependencies of {@link createPass}. */
export interface PassDeps {
  config: Config;
  daemon: DaemonConfig;
  database: Database;
  metrics: SyncMetrics;
  logger: Logger;
}

/** The mirror's path in remote mode. */
export function mirrorPath(config: Config): string {
  return join(config.dataDir, 'mirror.git');
}

/**
 * The daemon's pass: fetch (remote mode), migrate once, make sure this replica leads, then one
 * `syncOnce`. Everything that can fail throws, and the loop backs off; nothing here exits.
 */
export function createPass(deps: PassDeps) {
  const { config, daemon, database, metrics, logger } = deps;
  const state: PassState = {
    migrated: false,
    firstPassDone: false,
    leader: false,
    repository: null,
    lastReport: null,
    suspension: null,
    generation: 0,
  };
  const resyncs = new ForcedResyncs();
  const lag = new LagTracker({
    read: async () => {
      const repository = state.repository;
      if (!repository) throw new Error('the repository is not open yet');
      return readUnapplied({ config: effective, repository, database });
    },
    sink: (value) => metrics.observeLag(value),
    logger,
  });
  let lease: Leadership | null = null;
  const effective: Config = daemon.remote
    ? Object.freeze({ ...config, repo: mirrorPath(config) })
    : config;

  async function lead(target: CursorKey): Promise<boolean> {
    if (database.backend === 'embedded') return true;
    if (lease && (await lease.check())) return true;
    lease = await tryLeadership(database.db, target);
    if (lease) logger.info('this replica now applies (holds the lock)');
    return lease !== null;
  }

  /**
   * One pass; when it fails, the lag is still measured (where git and the database answer), so
   * `manifest_sync_commits_behind` keeps growing while passes fail and an alert can fire.
   */
  async function pass(signal: AbortSignal): Promise<void> {
    try {
      await passOnce(signal);
    } catch (error) {
      if (state.repository && state.migrated) await lag.refresh().catch(() => {});
      throw error;
    }
  }

  async function passOnce(signal: AbortSignal): Promise<void> {
    if (daemon.remote) {
      await updateMirror({
        url: daemon.remote,
        dir: mirrorPath(config),
        token: daemon.gitToken,
        signal,
        onRepoint: (from, to) =>
          logger.warn(
            { from, to },
            'the mirror was made from another remote: it now follows --remote',
          ),
      });
    }
    state.repository ??= await openRepository({ path: effective.repo });
    const repository = state.repository;
    // The fetch may have moved the branch: the gauges say so while this pass works through it.
    if (daemon.remote) void lag.refresh();
    if (!state.migrated) {
      const applied = await migrateToLatest(database.db);
      if (applied.length > 0) logger.info({ applied }, 'migrated the database');
      state.migrated = true;
    }
    const target = await resolveTarget(effective, repository, database.db);
    const control = await readControl(database.db, target);
    state.suspension = control?.suspended
      ? { since: control.suspended_at, by: control.suspended_by, reason: control.suspend_reason }
      : null;
    metrics.suspended.set(state.suspension ? 1 : 0);
    state.leader = await lead(target);
    metrics.lockHeld.set(state.leader ? 1 : 0);
    const forced = resyncs.take();
    if (state.suspension) {
      for (const waiter of forced?.waiters ?? [])
        waiter.reject(new SuspendedError('syncing is suspended: resume it first'));
    } else if (forced) {
      // Safe on any replica: the resync's transaction takes the same advisory lock as every commit.
      await forcedResync(repository, target, forced, signal);
    } else if (state.leader) {
      try {
        record(
          await syncOnce({
            config: effective,
            repository,
            database,
            logger,
            signal,
            onCursor: (revision) => lag.applied(revision),
          }),
        );
      } catch (error) {
        // Suspended between two commits: not a failure; the next pass reads who and why.
        if (!(error instanceof SuspendedError)) throw error;
        logger.info(error.message);
      }
    }
    if (state.lastReport?.to === target.head && !state.suspension && state.leader) {
      // This pass reached the head it read: nothing behind, no need to ask git and the database again.
      lag.caughtUp(target.head);
    } else {
      // Unknown while the cursor is off the branch (a rewrite not yet reconciled): NaN, not a reassuring 0.
      await lag.refresh();
    }
    state.firstPassDone = true;
  }

  function record(report: SyncReport): void {
    state.lastReport = report;
    metrics.versionsCreated.inc(report.versionsCreated);
    metrics.manifestsRefused.inc(report.refusals.length);
    if (report.historyRewritten) metrics.resyncs.inc({ trigger: 'history-rewrite' });
    if (report.commitsApplied > 0 || report.historyRewritten || report.kind === 'resync') {
      const {
        from,
        to,
        kind,
        commitsApplied: commits,
        versionsCreated: versions,
        durationMs: ms,
      } = report;
      logger.info(
        { kind, from, to, commits, versions, refused: report.refusals.length, ms },
        'pass applied',
      );
    } else {
      logger.debug({ at: report.to, ms: report.durationMs }, 'pass: nothing new to apply');
    }
    // Each refusal on its own line, at warn: the file, the commit, the pointer and the reason,
    // so an operator reading the log can act without opening `status`.
    for (const refusal of report.refusals) {
      logger.warn(
        {
          file: refusal.file,
          revision: refusal.revision,
          pointer: refusal.pointer || '/',
          code: refusal.code,
        },
        `refused ${refusal.file}: ${refusal.message}`,
      );
    }
  }

  async function forcedResync(
    repository: GitRepository,
    target: CursorKey,
    forced: NonNullable<ReturnType<ForcedResyncs['take']>>,
    signal: AbortSignal,
  ): Promise<void> {
    logger.info({ trigger: forced.trigger }, 'forced resync');
    metrics.resyncs.inc({ trigger: forced.trigger });
    try {
      const via = forced.trigger === 'signal' ? ('signal' as const) : ('admin-api' as const);
      const report = await syncOnce(
        { config: effective, repository, database, logger, signal },
        { kind: 'resync', audit: { actor: { name: forced.by, via }, reason: forced.reason } },
      );
      record(report);
      const detail = `${report.versionsCreated} version(s), ${report.decisions.length} change(s), ${report.refusals.length} refused`;
      await writeForcedResync(database.db, {
        ...target,
        trigger: forced.trigger,
        outcome: 'applied',
        detail,
        now: new Date(),
      });
      for (const waiter of forced.waiters) waiter.resolve(report);
    } catch (error) {
      const detail = String((error as Error).message ?? error);
      await writeForcedResync(database.db, {
        ...target,
        trigger: forced.trigger,
        outcome: 'failed',
        detail,
        now: new Date(),
      }).catch(() => {});
      for (const waiter of forced.waiters) waiter.reject(error);
      throw error;
    }
  }

  return {
    state,
    pass,
    /** The Config the pass syncs with (in remote mode, `repo` is the mirror). */
    effectiveConfig: effective,
    /** The ref moved: count what waits now (git and one query, off the pass's path). */
    refreshLag: () => lag.refresh(),
    /** Asks for a forced resync at the next safe point; settles with its report. */
    requestResync: (trigger: ResyncTrigger, asker?: { by: string; reason: string | null }) =>
      resyncs.request(trigger, asker),
    /** Releases the lock and closes the repository; the database is the caller's. */
    async close(): Promise<void> {
      await lease?.release();
      lease = null;
      await state.repository?.close();
    },
  };
}
