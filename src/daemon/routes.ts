import type { DaemonConfig } from '../config.js';
import { readCursorStamp } from '../db/operations/cursor/readCursorStamp.js';
import { readActionStamp } from '../db/operations/operators/readActionStamp.js';
import { readStatus } from '../query/readStatus.js';
import { apiRoutes } from './api.js';
import { auditLogRoute } from './auditLogApi.js';
import type { Route } from './http.js';
import { historyPageRoute, pageRoute } from './page.js';
import { cacheResponses, readAtMostEvery } from './responseCache.js';
import type { DaemonParts } from './types.js';

/** How often the stamp asks the database what other processes changed (cursor moves, operator actions). */
const STAMP_EVERY_MS = 1_000;

/**
 * The daemon's routes beyond health, metrics, webhook and admin: the read API and the page. Each
 * answer is served again for a settle window (1 s) whatever passes end meanwhile, then kept until
 * a pass has ended or the database shows another process's change (asked at most once a second),
 * and is served as kept while a pass runs: readers never make the sync wait behind reads and
 * renders, and see a commit within about a second. This daemon's admin writes are seen at once.
 */
export function readRoutes(daemon: DaemonConfig, parts: DaemonParts): Route[] {
  const { database, state, config } = parts;
  const db = database.db;
  const pageDeps = {
    db,
    commitUrl: daemon.commitUrl,
    clock: parts.clock,
    readStatus: () => {
      const current = state.repository;
      if (!current) return Promise.reject(new Error('the repository is not open yet'));
      return readStatus({ config, repository: current, database });
    },
  };
  // Operator actions move no cursor: each appends an audit row, which changes the stamp.
  const stored = readAtMostEvery(
    STAMP_EVERY_MS,
    async () => `${await readCursorStamp(db)}:${await readActionStamp(db)}`,
  );
  return cacheResponses(
    [
      ...apiRoutes({
        db,
        repository: () => state.repository,
        manifestDir: config.path,
        readStatus: pageDeps.readStatus,
      }),
      auditLogRoute(db),
      pageRoute(pageDeps),
      historyPageRoute(pageDeps),
    ],
    {
      stamp: async () =>
        `${state.passesEnded}:${await stored(`${state.passesEnded}:${state.adminWrites}`)}`,
      writes: () => state.adminWrites,
      busy: parts.busy,
    },
  );
}
