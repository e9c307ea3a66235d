import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Config, DaemonConfig } from '../config.js';
import type { Database } from '../db/connection.js';
import { migrateToLatest } from '../db/migrate.js';
import { type Leadership, tryLeadership } from '../db/operations/leader/tryLeadership.js';
import { type GitRepository, openRepository } from '../git/index.js';
import { updateMirror } from '../git/mirror.js';
import { readStatus } from '../sync/readStatus.js';
import { syncOnce } from '../sync/syncOnce.js';
import { resolveTarget } from '../sync/target.js';
import type { SyncReport } from '../sync/types.js';
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
  };
  let lease: Leadership | null = null;
  const effective: Config = daemon.remote
    ? Object.freeze({ ...config, repo: mirrorPath(config) })
    : config;

  async function lead(repository: GitRepository): Promise<boolean> {
    if (database.backend === 'embedded') return true;
    if (lease && (await lease.check())) return true;
    lease = await tryLeadership(database.db, await resolveTarget(effective, repository));
    if (lease) logger.info('this replica now applies (holds the lock)');
    return lease !== null;
  }

  async function pass(signal: AbortSignal): Promise<void> {
    if (daemon.remote) {
      await updateMirror({ url: daemon.remote, dir: mirrorPath(config), token: daemon.gitToken });
    }
    state.repository ??= await openRepository({ path: effective.repo });
    const repository = state.repository;
    if (!state.migrated) {
      const applied = await migrateToLatest(database.db);
      if (applied.length > 0) logger.info({ applied }, 'migrated the database');
      state.migrated = true;
    }
    state.leader = await lead(repository);
    metrics.lockHeld.set(state.leader ? 1 : 0);
    if (state.leader) {
      const report = await syncOnce({ config: effective, repository, database, logger, signal });
      state.lastReport = report;
      metrics.versionsCreated.inc(report.versionsCreated);
      metrics.manifestsRefused.inc(report.refusals.length);
      if (report.historyRewritten) metrics.resyncs.inc({ trigger: 'history-rewrite' });
      if (report.commitsApplied > 0 || report.historyRewritten) {
        logger.info(
          {
            from: report.from,
            to: report.to,
            commits: report.commitsApplied,
            versions: report.versionsCreated,
            refused: report.refusals.length,
            ms: report.durationMs,
          },
          'pass applied',
        );
      }
    }
    const status = await readStatus({ config: effective, repository, database });
    metrics.commitsBehind.set(status.behind ?? 0);
    state.firstPassDone = true;
  }

  return {
    state,
    pass,
    /** Releases the lock and closes the repository; the database is the caller's. */
    async close(): Promise<void> {
      await lease?.release();
      lease = null;
      await state.repository?.close();
    },
  };
}
