import type { DaemonConfig } from '../config.js';
import { readCursorStamp } from '../db/operations/cursor/readCursorStamp.js';
import { readActionStamp } from '../db/operations/operators/readActionStamp.js';
import { readStatus } from '../query/readStatus.js';
import { apiRoutes } from './api.js';
import { auditLogRoute } from './auditLogApi.js';
import { historyPageRoute, pageRoute } from './page.js';
import { cacheResponses } from './responseCache.js';
import type { RouteFactory } from './startDaemon.js';

/**
 * The daemon's routes beyond health, metrics, webhook and admin: the read API and the page, each
 * answer cached until the cursor moves, a pass ends or the ref moves (so readers never make the
 * sync wait behind reads and renders it has already paid for).
 */
export function buildRoutes(daemon: DaemonConfig): RouteFactory {
  return ({ database, daemonState, effectiveConfig }) => {
    const pageDeps = {
      db: database.db,
      commitUrl: daemon.commitUrl,
      readStatus: () => {
        const current = daemonState.repository;
        if (!current) return Promise.reject(new Error('the repository is not open yet'));
        return readStatus({ config: effectiveConfig, repository: current, database });
      },
    };
    return cacheResponses(
      [
        ...apiRoutes({
          db: database.db,
          repository: () => daemonState.repository,
          manifestDir: effectiveConfig.path,
          readStatus: pageDeps.readStatus,
        }),
        auditLogRoute(database.db),
        pageRoute(pageDeps),
        historyPageRoute(pageDeps),
      ],
      {
        // Operator actions move no cursor: each appends an audit row, which changes the stamp.
        stamp: async () =>
          `${daemonState.generation}:${await readCursorStamp(database.db)}:${await readActionStamp(database.db)}`,
      },
    );
  };
}
