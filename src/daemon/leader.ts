import type { Logger } from 'pino';
import type { Database } from '../db/connection.js';
import type { CursorKey } from '../db/operations/cursor/lockCursor.js';
import { type LeaderLock, tryLeader } from '../db/operations/leader/tryLeader.js';

/** Whether this replica is the leader: the one that applies commits (the others stand by). */
export interface Leader {
  /** True when this replica leads (it takes the lock when free); always true embedded. */
  claim(key: CursorKey): Promise<boolean>;
  /** Gives the lock up, for another replica to take; safe twice. */
  release(): Promise<void>;
}

/**
 * The leader is the replica holding a session advisory lock on PostgreSQL (released when its
 * process or connection dies). The embedded store has one process, which always leads.
 */
export function createLeader(database: Database, logger: Logger): Leader {
  let lock: LeaderLock | null = null;
  return {
    async claim(key) {
      if (database.backend === 'embedded') return true;
      if (lock && (await lock.check())) return true;
      lock = await tryLeader(database.db, key);
      if (lock) logger.info('this replica is now the leader: it applies (holds the lock)');
      return lock !== null;
    },
    async release() {
      await lock?.release();
      lock = null;
    },
  };
}
