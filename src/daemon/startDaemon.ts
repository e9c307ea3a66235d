import type { Logger } from 'pino';
import type { Config, DaemonConfig } from '../config.js';
import { type Database, openDatabase } from '../db/connection.js';
import { BindingConflictError, ConfigError } from '../errors.js';
import { type GitRepository, openRepository } from '../git/index.js';
import { clockOf, newIdOf } from '../sync/defaults.js';
import { readRecordedBranch } from '../sync/target.js';
import type { SyncReport } from '../sync/types.js';
import { adminRoutes } from './admin.js';
import { createAdminControl } from './adminControl.js';
import type { ResyncTrigger } from './forcedResync.js';
import { type HttpServer, startHttpServer } from './http.js';
import { SyncLoop } from './loop.js';
import { createMetrics } from './metrics.js';
import { opsRoutes, type Readiness } from './opsRoutes.js';
import { createPass } from './pass.js';
import { readRoutes } from './routes.js';
import { fetchMirror, mirrorPath, sourceConfig } from './source.js';
import type { DaemonParts, DaemonState, RouteFactory } from './types.js';
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

/** Options of {@link startDaemon}. */
export interface DaemonOptions {
  /** Routes beside the daemon's own (a test's, a bench's). @default none */
  routes?: RouteFactory;
  /** @default the wall clock (src/sync/defaults.ts) */
  clock?: () => Date;
  /** @default random UUIDs (src/sync/defaults.ts) */
  newId?: () => string;
}

/**
 * Starts `manifest-sync daemon`: HTTP first (health answers even while the database is down),
 * then the sync loop, nudged by the ref watcher (local mode) or the webhook, backed by a slow
 * periodic pass.
 */
export async function startDaemon(
  config: Config,
  daemon: DaemonConfig,
  logger: Logger,
  options: DaemonOptions = {},
): Promise<RunningDaemon> {
  const clock = clockOf(options);
  const metrics = createMetrics({ now: () => clock().getTime() });
  const database = await openDatabase({
    url: config.databaseUrl,
    dataDir: config.dataDir,
    holder: 'manifest-sync daemon',
    longLived: true,
  });
  const source = sourceConfig(config, daemon);
  const pass = createPass({
    config: source,
    daemon,
    database,
    metrics,
    logger,
    clock,
    newId: newIdOf(options),
  });
  // Aborted by stop(): the pass ends at its next commit boundary instead of draining a backlog.
  const shutdown = new AbortController();
  const loop = new SyncLoop({
    pass: async (signal, wake) => {
      await pass.run(AbortSignal.any([signal, shutdown.signal]), wake);
      return { ok: true };
    },
    interval: daemon.pollIntervalMs,
    backoff: { maxMs: daemon.backoffMaxMs },
    logger,
    now: clock,
    onPass: (result, ms) => {
      pass.state.passesEnded++;
      metrics.observePass(result.ok, ms, clock());
    },
  });
  const parts: DaemonParts = {
    database,
    config: source,
    state: pass.state,
    nudge: () => loop.nudge(),
    readiness: async () => readiness(pass.state, loop),
    busy: () => loop.busy,
    clock,
  };

  let server: HttpServer | null = null;
  let watch: RefWatch | null = null;
  try {
    const branch = await trackedBranch(config, daemon, database, pass.state, logger);
    const routes = [
      ...opsRoutes({
        readiness: parts.readiness,
        registry: metrics.registry,
        logger,
        ...(daemon.webhookSecret
          ? { webhook: { secret: daemon.webhookSecret, branch, nudge: parts.nudge } }
          : {}),
      }),
      ...(options.routes?.(parts) ?? []),
      ...adminRoutes({
        token: daemon.adminToken,
        control: createAdminControl({ parts, pass, logger }),
        logger,
        clock,
      }),
      ...readRoutes(daemon, parts),
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
    const repository = pass.state.repository;
    if (!daemon.remote && repository) {
      watch = watchRefs({
        gitDir: repository.gitDir,
        branch,
        onChange: () => {
          loop.nudge();
          pass.refMoved();
        },
        logger,
      });
      await watch.ready;
    }
  } catch (error) {
    await Promise.allSettled([loop.stop(), server?.close(), pass.close()]);
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
      const report = pass.requestResync(trigger);
      loop.nudge();
      return report;
    },
    stop(options) {
      stopping ??= (async () => {
        shutdown.abort(new Error('the daemon is stopping'));
        await loop.stop(options);
        await Promise.allSettled([watch?.close(), http.close(), pass.close()]);
        await database.close();
        logger.info('daemon stopped');
      })();
      return stopping;
    },
  };
}

/** Ready when migrated, synced once, not suspended and the last pass succeeded; else the reasons. */
function readiness(state: DaemonState, loop: SyncLoop): Readiness {
  const reasons: string[] = [];
  if (!state.migrated) reasons.push('migrations not applied yet');
  if (!state.firstPassDone) reasons.push('first sync not finished');
  if (state.suspension) {
    const { since, by, reason } = state.suspension;
    reasons.push(
      `suspended since ${since?.toISOString() ?? '?'} by ${by ?? '?'}${reason ? `: ${reason}` : ''}`,
    );
  }
  const { contiguousErrors, lastError } = loop.status();
  if (contiguousErrors > 0) {
    reasons.push(
      `last pass failed (${contiguousErrors} in a row): ${String((lastError as Error)?.message ?? lastError)}`,
    );
  }
  if (reasons.length > 0) return { ready: false, reasons };
  // When ready, the one reason says what this replica does, not what it is doing right now.
  return {
    ready: true,
    reasons: [
      state.leader
        ? 'ready: up to date as of the last pass; this replica applies new commits'
        : 'ready: standby replica; another replica holds the lock and applies',
    ],
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
  state: DaemonState,
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
    state.repository = repository;
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
    await fetchMirror(daemon.remote, { config, daemon, logger });
    const repository = await openRepository({ path: mirrorPath(config) });
    state.repository = repository;
    const branch = (await recorded(repository)) ?? (await repository.currentBranch());
    if (branch) return branch;
  } catch (error) {
    if (error instanceof BindingConflictError) throw error;
    logger.warn({ err: error }, 'could not reach the remote to learn its default branch');
  }
  logger.warn("tracking 'main' (set --branch)");
  return 'main';
}
