import { type Kysely, sql } from 'kysely';
import type { Schema } from '../../schema.js';
import { assertNotSuspended } from '../control/assertNotSuspended.js';
import { type CursorKey, lockCursor } from './lockCursor.js';
import { writeCursor } from './writeCursor.js';

/** How a writer takes the cursor's lock, and what it checks and moves under it. */
export interface CursorLock extends CursorKey {
  /**
   * The cursor the writer planned from (what it read before): when the cursor is elsewhere under
   * the lock, nothing is written. Omitted: any cursor will do (an operator's action).
   */
  expected?: string | null;
  /** Refuse to write while an operator has suspended syncing (throws SuspendedError). @default false */
  suspendable?: boolean;
  /** Where the cursor moves once `write` is done, in the same transaction. */
  moveTo?: { revision: string; now: Date };
  /**
   * Wait for the WAL flush at commit. Inside a run, waiting for each transaction's flush is most
   * of its cost: a crash can lose only a suffix of non-durable transactions, each whole with its
   * cursor move, so they are applied again; the run's last one is durable and flushes all before.
   * @default true
   */
  durable?: boolean;
}

/** What a locked write did: its value, or (writing nothing) the cursor it found instead of `expected`. */
export type CursorLocked<T> = { ok: true; value: T } | { ok: false; cursor: string | null };

type Write<T> = (trx: Kysely<Schema>, cursor: string | null) => Promise<T>;

/**
 * The one protocol of every writer that must take turns with the sync (replay, resync, operators'
 * actions, rebind), in one transaction: take the advisory lock and read the cursor, compare it
 * with what the writer expected, check that syncing is not suspended, write, move the cursor.
 * A cursor moved by another process is returned as data, not thrown.
 */
export async function withCursorLock<T>(
  db: Kysely<Schema>,
  lock: CursorLock & { expected: string | null },
  write: Write<T>,
): Promise<CursorLocked<T>>;
/** Without `expected`, the lock always lets the writer through. */
export async function withCursorLock<T>(
  db: Kysely<Schema>,
  lock: Omit<CursorLock, 'expected'>,
  write: Write<T>,
): Promise<{ ok: true; value: T }>;
export async function withCursorLock<T>(
  db: Kysely<Schema>,
  lock: CursorLock,
  write: Write<T>,
): Promise<CursorLocked<T>> {
  return db.transaction().execute(async (trx) => {
    const cursor = await lockCursor(trx, lock);
    if (lock.expected !== undefined && cursor !== lock.expected) return { ok: false, cursor };
    if (lock.suspendable) await assertNotSuspended(trx, lock);
    if (lock.durable === false) await sql`SET LOCAL synchronous_commit = off`.execute(trx);
    const value = await write(trx, cursor);
    if (lock.moveTo) await writeCursor(trx, { ...lock, ...lock.moveTo });
    return { ok: true, value };
  });
}
