import type { Logger } from 'pino';
import type { Config, DaemonConfig } from '../config.js';
import { type Database, openDatabase } from '../db/connection.js';
import { BindingConflictError, ConfigError } from '../errors.js';
import { type GitRepository, openRepository } from '../git/index.js';
import { updateMirror } from '../git/mirror.js';
import { readRecordedBranch } from '../sync/target.js';
import type { SyncReport } from '../sync/types.js';
import { adminRoutes } from './admin.js';
import { createAdminControl } from './adminControl.js';
import type { ResyncTrigger } from './forcedResync.js';
import { type HttpServer, type Route, startHttpServer } from './http.js';
import { SyncLoop } from './loop.js';
import { createMetrics } from './metrics.js';
import { opsRoutes, type Readiness } from './opsRoutes.js';
import { createPass, mirrorPath, type PassState } from './pass.js';
import { buildRoutes } from './routes.js';
import { type RefWatch, watchRefs } from './watcher.js';

/** A running daemon. */
export interface RunningDaemon {
  /** The HTTP server's base URL. */
  readonly url: string;
  /** Asks for a forced resync at the next safe point (SIGHUP); settles with its report. */
  requestResync(trigger: ResyncTrigger): Promise<SyncReport>;
  /**
   * Ends the current pass at its next commit boundary (the commit in flight commits or rolls back
   * whole; the rest waits for the next start), then closes everything. Safe twice.
   */
  stop(options?: { force?: boolean }): Promise<void>;
}

/** Extra routes (the read API, the page, admin), built once the daemon's parts exist. */
export type RouteFactory = (parts: {
  database: Database;
  /** The Config passes sync with (in remote mode, `repo` is the mirror). */
  effectiveConfig: Config;
  daemonState: PassState;
  nudge: () => void;
  readiness: () => Promise<Readiness>;
}) => Route[];

/**
 * Starts `manifest-sync daemon`: HTTP first (health answers even while the database is down),
 * then the sync loop, nudged by the ref watcher (local mode) or the webhook, backed by a slow
 * periodic pass.
 */
export async function startDaemon(
  config: Config,
  daemon: DaemonConfig,
  logger: Logger,
  extraRoutes: RouteFactory = () => [],
): Promise<RunningDaemon> {
  const metrics = createMetrics();
  const database = await openDatabase({
    url: config.databaseUrl,
    dataDir: config.dataDir,
    holder: 'manifest-sync daemon',
  });
  const worker = createPass({ config, daemon, database, metrics, logger });
  // Aborted by stop(): the pass ends at its next commit boundary instead of draining a backlog.
  const shutdown = new AbortController();
  const loop = new SyncLoop({
    pass: async (signal) => {
      await worker.pass(AbortSignal.any([signal, shutdown.signal]));
      return { ok: true };
    },
    interval: daemon.pollIntervalMs,
    backoff: { maxMs: daemon.backoffMaxMs },
    logger,
    onPass: (outcome, ms) => {
      worker.state.generation++;
      metrics.observePass(outcome.ok, ms, new Date());
    },
  });

  const readiness = async (): Promise<Readiness> => {
    const reasons: string[] = [];
    const { state } = worker;
    if (!state.migrated) reasons.push('migrations not applied yet');
    if (!state.firstPassDone) reasons.push('first sync not finished');
    if (state.suspension) {
      const { since, by, reason } = state.suspension;
      reasons.push(
        `suspended since ${since?.toISOString() ?? '?'} by ${by ?? '?'}${reason ? `: ${reason}` : ''}`,
      );
    }
    const status = loop.status();
    if (status.contiguousErrors > 0) {
      reasons.push(
        `last pass failed (${status.contiguousErrors} in a row): ${String((status.lastError as Error)?.message ?? status.lastError)}`,
      );
    }
    return {
      ready: reasons.length === 0,
      // When ready, the one reason says what this replica does, not what it is doing right now.
      reasons: reasons.length
        ? reasons
        : [
            state.leader
              ? 'ready: up to date as of the last pass; this replica applies new commits'
              : 'ready: standby replica; another replica holds the lock and applies',
          ],
    };
  };

  let server: HttpServer | null = null;
  let watch: RefWatch | null = null;
  try {
    const branch = await trackedBranch(config, daemon, database, worker, logger);
    const routes = [
      ...opsRoutes({
        readiness,
        registry: metrics.registry,
        logger,
        ...(daemon.webhookSecret
          ? { webhook: { secret: daemon.webhookSecret, branch, nudge: () => loop.nudge() } }
          : {}),
      }),
      ...extraRoutes({
        effectiveConfig: worker.effectiveConfig,
        database,
        daemonState: worker.state,
        nudge: () => loop.nudge(),
        readiness,
      }),
      ...adminRoutes({
        token: daemon.adminToken,
        control: createAdminControl({
          config,
          database,
          worker,
          nudge: () => loop.nudge(),
          logger,
        }),
        logger,
      }),
      ...buildRoutes(daemon)({
        effectiveConfig: worker.effectiveConfig,
        database,
        daemonState: worker.state,
        nudge: () => loop.nudge(),
        readiness,
      }),
    ];
    server = await startHttpServer({
      port: daemon.httpPort,
      host: daemon.host,
      maxConnections: daemon.maxConnections,
      requestTimeoutMs: daemon.requestTimeoutMs,
      routes,
      logger,
    });
    await database.advertise(server.url);
    loop.start();
    const repository = worker.state.repository;
    if (!daemon.remote && repository) {
      watch = watchRefs({
        gitDir: repository.gitDir,
        branch,
        onChange: () => {
          worker.state.generation++;
          loop.nudge();
          void worker.refreshLag();
        },
        logger,
      });
      await watch.ready;
    }
  } catch (error) {
    await Promise.allSettled([loop.stop(), server?.close(), worker.close()]);
    await database.close();
    throw error;
  }
  logger.info(
    { url: server.url, database: database.location, mode: daemon.remote ? 'remote' : 'local' },
    'daemon started',
  );

  let stopping: Promise<void> | null = null;
  const http = server;
  return {
    url: http.url,
    requestResync(trigger) {
      const report = worker.requestResync(trigger);
      loop.nudge();
      return report;
    },
    stop(options) {
      stopping ??= (async () => {
        shutdown.abort(new Error('the daemon is stopping'));
        await loop.stop(options);
        await Promise.allSettled([watch?.close(), http.close(), worker.close()]);
        await database.close();
        logger.info('daemon stopped');
      })();
      return stopping;
    },
  };
}

/** How long the start waits for the database to say which branch is recorded. */
const BINDING_WAIT_MS = 3_000;

/**
 * The branch to watch: the recorded binding's (read here if the database answers; each pass
 * resolves it again), else --branch, else the local repository's checked-out branch (opened here,
 * so a wrong --repo fails at once), else in remote mode the remote's default branch once mirrored.
 * A --branch that contradicts the record stops the start.
 */
async function trackedBranch(
  config: Config,
  daemon: DaemonConfig,
  database: Database,
  worker: ReturnType<typeof createPass>,
  logger: Logger,
): Promise<string> {
  // Database down, silent or not migrated yet: the first pass will know; health must answer first.
  const recorded = (repository: GitRepository | null) =>
    Promise.race([
      readRecordedBranch(config, repository, database.db),
      new Promise<null>((resolve) => setTimeout(resolve, BINDING_WAIT_MS, null).unref()),
    ]).catch((error: unknown) => {
      if (error instanceof BindingConflictError) throw error;
      return null;
    });
  if (!daemon.remote) {
    const repository = await openRepository({ path: config.repo });
    worker.state.repository = repository;
    const branch =
      (await recorded(repository)) ?? config.branch ?? (await repository.currentBranch());
    if (!branch) {
      throw new ConfigError(
        `HEAD is detached in ${repository.path}: name the branch to track with --branch`,
      );
    }
    return branch;
  }
  const bound = (await recorded(null)) ?? config.branch;
  if (bound) return bound;
  try {
    await updateMirror({
      url: daemon.remote,
      dir: mirrorPath(config),
      token: daemon.gitToken,
      onRepoint: (from, to) =>
        logger.warn(
          { from, to },
          'the mirror was made from another remote: it now follows --remote',
        ),
    });
    const repository = await openRepository({ path: mirrorPath(config) });
    worker.state.repository = repository;
    const branch = (await recorded(repository)) ?? (await repository.currentBranch());
    if (branch) return branch;
  } catch (error) {
    if (error instanceof BindingConflictError) throw error;
    logger.warn({ err: error }, 'could not reach the remote to learn its default branch');
  }
  logger.warn("tracking 'main' (set --branch)");
  return 'main';
}
