import { type Kysely, sql } from 'kysely';
import type { Schema } from '../../schema.js';
import type { CursorKey } from '../cursor/lockCursor.js';

/** The leader's session advisory lock, held on a dedicated connection: the replica holding it applies. */
export interface LeaderLock {
  /** Asks the held connection whether the lock is still ours (false after the connection broke). */
  check(): Promise<boolean>;
  /** Unlocks and returns the connection to the pool; safe to call twice. */
  release(): Promise<void>;
}

const lockKey = (key: CursorKey) =>
  sql`hashtextextended(${`manifest-sync-leader:${key.repository}:${key.branch}`}, 0)`;

/**
 * Tries to become the leader: the replica that applies for this repository and branch, without waiting.
 * The lock lives as long as its connection: when the holder dies, Postgres ends its session and
 * another replica's next try succeeds. Only for PostgreSQL (the embedded store has one process).
 */
export function tryLeader(db: Kysely<Schema>, key: CursorKey): Promise<LeaderLock | null> {
  return new Promise<LeaderLock | null>((resolve, reject) => {
    let settled = false;
    db.connection()
      .execute(async (connection) => {
        const { rows } = await sql<{
          locked: boolean;
        }>`SELECT pg_try_advisory_lock(${lockKey(key)}) AS locked`.execute(connection);
        if (!rows[0]?.locked) {
          settled = true;
          resolve(null);
          return;
        }
        let done!: () => void;
        const released = new Promise<void>((r) => {
          done = r;
        });
        let alive = true;
        settled = true;
        resolve({
          async check() {
            if (!alive) return false;
            try {
              const held = await sql<{ held: boolean }>`
                SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()
                  AND granted) AS held`.execute(connection);
              alive = held.rows[0]?.held ?? false;
            } catch {
              alive = false;
            }
            if (!alive) done();
            return alive;
          },
          async release() {
            if (alive) {
              alive = false;
              await sql`SELECT pg_advisory_unlock(${lockKey(key)})`
                .execute(connection)
                .catch(() => {});
            }
            done();
          },
        });
        await released;
      })
      .catch((error) => {
        if (!settled) reject(error);
      });
  });
}
