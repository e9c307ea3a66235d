import type { Config } from '../config.js';
import type { Database } from '../db/connection.js';
import type { GitRepository } from '../git/index.js';
import type { SyncReport } from '../sync/types.js';
import type { Route } from './http.js';
import type { Readiness } from './opsRoutes.js';

/** Suspended by an operator (kept in the database): the daemon watches and fetches, applies nothing. */
export interface Suspension {
  since: Date | null;
  by: string | null;
  reason: string | null;
}

/** What the daemon knows between passes: for readiness, metrics, the routes and shutdown. */
export interface DaemonState {
  migrated: boolean;
  /** A pass has completed (applied or, on a standby replica, checked). */
  firstPassDone: boolean;
  /** Whether this replica is the leader (holds the lock and applies); always true embedded. */
  leader: boolean;
  repository: GitRepository | null;
  lastReport: SyncReport | null;
  suspension: Suspension | null;
  /** Counts passes ended: what readers see may have changed (part of the read cache's stamp). */
  passesEnded: number;
  /**
   * Counts this daemon's own admin writes (suspend, resume, operator actions, a forced resync
   * settled): each makes every cached read answer stale at once (read-after-write).
   */
  adminWrites: number;
}

/** The running daemon's parts, as the routes see them. */
export interface DaemonParts {
  database: Database;
  /** The Config passes sync with (in remote mode, `repo` is the mirror). */
  config: Config;
  state: DaemonState;
  nudge: () => void;
  readiness: () => Promise<Readiness>;
  /** True while a pass runs or a nudged one is about to: readers should not start work then. */
  busy: () => boolean;
  clock: () => Date;
}

/** Extra routes (the read API, the page, a test's own), built once the daemon's parts exist. */
export type RouteFactory = (parts: DaemonParts) => Route[];
