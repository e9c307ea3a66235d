import type { Logger } from 'pino';
import type { Config, DaemonConfig } from '../config.js';
import type { Database } from '../db/connection.js';
import { migrateToLatest } from '../db/migrate.js';
import { readControl } from '../db/operations/control/readControl.js';
import type { CursorKey } from '../db/operations/cursor/lockCursor.js';
import { SuspendedError } from '../errors.js';
import { type GitRepository, openRepository } from '../git/index.js';
import { readUnapplied } from '../sync/readUnapplied.js';
import { syncOnce } from '../sync/syncOnce.js';
import { findBinding, resolveTarget } from '../sync/target.js';
import type { SyncContext, SyncReport } from '../sync/types.js';
import { ForcedResyncs, type ResyncTrigger } from './forcedResync.js';
import { LagTracker } from './lag.js';
import { createLeader } from './leader.js';
import type { PassWake } from './loop.js';
import type { SyncMetrics } from './metrics.js';
import { recordReport } from './recordReport.js';
import { runForcedResync } from './resync.js';
import { fetchMirror } from './source.js';
import type { DaemonState } from './types.js';

/** What a {@link Pass} works with. */
export interface PassDeps {
  /** The Config passes sync with (in remote mode, `repo` is the mirror). */
  config: Config;
  daemon: DaemonConfig;
  database: Database;
  metrics: SyncMetrics;
  logger: Logger;
  clock: () => Date;
  newId: () => string;
}

/** The daemon's pass and what it keeps between passes. */
export interface Pass {
  readonly state: DaemonState;
  /**
   * One pass: fetch (remote mode), migrate once, lead, sync. Throws on failure; the loop backs off.
   * A periodic one (`wake` 'interval') of a leader whose branch has not moved since its last pass
   * reads the ref and stops there (see {@link FULL_PASS_EVERY}).
   */
  run(signal: AbortSignal, wake?: PassWake): Promise<void>;
  /** The ref moved: the lag gauges follow (git is asked unless a pass answers first). */
  refMoved(): void;
  /** Asks for a forced resync at the next safe point; settles with its report. */
  requestResync(
    trigger: ResyncTrigger,
    asker?: { by: string; reason: string | null },
  ): Promise<SyncReport>;
  /** Releases the lock and closes the repository; the database is the caller's. */
  close(): Promise<void>;
}

/**
 * A periodic pass with nothing to do is only the safety check behind the ref watcher: when this
 * replica leads, its last pass reached the branch's head and the ref still points there, it reads
 * the ref (one line to the long-lived cat-file) and stops — no query, no git process. Every this
 * many poll intervals a whole pass runs anyway (the suspension, the leader's lock and expired pins
 * re-read from the database; 5 minutes at the default 30 s).
 */
export const FULL_PASS_EVERY = 10;

/** Creates the daemon's pass; `state` starts empty and is the pass's to update. */
export function createPass(deps: PassDeps): Pass {
  const { config, daemon, database, metrics, logger } = deps;
  const state: DaemonState = {
    migrated: false,
    firstPassDone: false,
    leader: false,
    repository: null,
    lastReport: null,
    suspension: null,
    passesEnded: 0,
    adminWrites: 0,
  };
  const resyncs = new ForcedResyncs();
  const leader = createLeader(database, logger);
  const lag = new LagTracker({
    read: () => readUnapplied({ config, repository: opened(), database }),
    sink: (value) => metrics.observeLag(value),
    now: () => deps.clock().getTime(),
    logger,
  });
  const opened = (): GitRepository => {
    if (!state.repository) throw new Error('the repository is not open yet');
    return state.repository;
  };
  const context = (repository: GitRepository, signal: AbortSignal): SyncContext => ({
    config,
    repository,
    database,
    logger,
    signal,
    clock: deps.clock,
    newId: deps.newId,
    onCursor: (revision) => lag.applied(revision),
  });

  /** Where the last whole pass left the branch, as leader, and when; null after anything else. */
  let settled: { branch: string; head: string; at: number } | null = null;

  /** The periodic check's cheap answer: true when the branch is where the last pass left it. */
  async function unmoved(wake: PassWake | undefined): Promise<boolean> {
    if (wake !== 'interval' || daemon.remote || !settled || !state.leader || !state.repository)
      return false;
    if (deps.clock().getTime() - settled.at >= FULL_PASS_EVERY * daemon.pollIntervalMs)
      return false;
    const head = await state.repository.resolveRevision(`refs/heads/${settled.branch}`);
    return head === settled.head;
  }

  async function run(signal: AbortSignal, wake?: PassWake): Promise<void> {
    if (await unmoved(wake)) return;
    settled = null;
    const moves = lag.moves;
    let reached: string | null = null;
    try {
      reached = await sync(signal);
    } catch (error) {
      // The lag is still measured where git and the database answer, so the gauges keep growing
      // while passes fail and an alert can fire.
      if (state.repository && state.migrated) await lag.refresh().catch(() => {});
      throw error;
    }
    // A pass that reached the head it read says nothing waits: no need to ask git again. Otherwise
    // (suspended, standby, cursor off the branch) git is asked; unknown is NaN, not a reassuring 0.
    if (reached) lag.caughtUp(reached, moves);
    else await lag.refresh();
    state.firstPassDone = true;
  }

  /** The pass proper; returns the head it reached, or null when it did not apply. */
  async function sync(signal: AbortSignal): Promise<string | null> {
    if (daemon.remote) await fetchMirror(daemon.remote, { config, daemon, logger, signal });
    state.repository ??= await openRepository({ path: config.repo });
    const repository = state.repository;
    // The fetch may have moved the branch: the gauges say so while this pass works through it.
    if (daemon.remote) void lag.refresh();
    if (!state.migrated) {
      const applied = await migrateToLatest(database.db);
      if (applied.length > 0) logger.info({ applied }, 'migrated the database');
      state.migrated = true;
    }
    const key = await readKey(repository);
    const [control, leads] = await Promise.all([readControl(database.db, key), leader.claim(key)]);
    state.suspension = control?.suspended
      ? { since: control.suspended_at, by: control.suspended_by, reason: control.suspend_reason }
      : null;
    state.leader = leads;
    metrics.suspended.set(state.suspension ? 1 : 0);
    metrics.leader.set(leads ? 1 : 0);
    const forced = resyncs.take();
    if (state.suspension) {
      for (const waiter of forced?.waiters ?? [])
        waiter.reject(new SuspendedError('syncing is suspended: resume it first'));
      return null;
    }
    if (forced) {
      logger.info({ trigger: forced.trigger }, 'forced resync');
      metrics.resyncs.inc({ trigger: forced.trigger });
      const report = await runForcedResync(
        { ...context(repository, signal), clock: deps.clock },
        key,
        forced,
      );
      state.lastReport = report;
      recordReport(report, metrics, logger);
      return leads ? report.to : null;
    }
    if (!leads) return null;
    try {
      const report = await syncOnce(context(repository, signal));
      state.lastReport = report;
      recordReport(report, metrics, logger);
      settled = { branch: report.branch, head: report.to, at: deps.clock().getTime() };
      return report.to;
    } catch (error) {
      // Suspended between two commits: not a failure; the next pass reads who and why.
      if (!(error instanceof SuspendedError)) throw error;
      logger.info(error.message);
      return null;
    }
  }

  /**
   * The cursor's key (repository and branch): the recorded binding's, one query and no git; only
   * before the first sync records it is the whole target resolved (the ref read by git).
   */
  async function readKey(repository: GitRepository): Promise<CursorKey> {
    const binding = await findBinding(config, repository, database.db);
    const { repository: id, branch } =
      binding ?? (await resolveTarget(config, repository, database.db));
    return { repository: id, branch };
  }

  return {
    state,
    run,
    refMoved: () => lag.moved(),
    requestResync: (trigger, asker) => resyncs.request(trigger, asker),
    async close() {
      lag.close();
      await leader.release();
      await state.repository?.close();
    },
  };
}
