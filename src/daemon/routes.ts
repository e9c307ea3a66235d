import type { DaemonConfig } from '../config.js';
import { readStatus } from '../sync/readStatus.js';
import { apiRoutes } from './api.js';
import { pageRoute } from './page.js';
import type { RouteFactory } from './startDaemon.js';

/** The daemon's routes beyond health, metrics, webhook and admin: the read API and the page. */
export function buildRoutes(daemon: DaemonConfig): RouteFactory {
  return ({ database, daemonState, effectiveConfig }) => {
    return [
      ...apiRoutes({
        db: database.db,
        repository: () => daemonState.repository,
        manifestDir: effectiveConfig.path,
      }),
      pageRoute({
        db: database.db,
        commitUrl: daemon.commitUrl,
        readStatus: () => {
          const current = daemonState.repository;
          if (!current) return Promise.reject(new Error('the repository is not open yet'));
          return readStatus({ config: effectiveConfig, repository: current, database });
        },
      }),
    ];
  };
}
