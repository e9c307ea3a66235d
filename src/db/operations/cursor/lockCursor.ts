import { type Kysely, sql } from 'kysely';
import type { Schema } from '../../schema.js';

/** Which cursor: one per tracked repository and branch. */
export interface CursorKey {
  repository: string;
  branch: string;
}

/**
 * Takes the transaction-scoped advisory lock for a repository and branch, then reads its cursor.
 * Must be the first statement of the transaction: the lock is released on commit or rollback, so
 * it cannot leak, and the cursor read under it is the one this transaction may advance.
 * Two statements on purpose: under READ COMMITTED a statement sees the snapshot taken when it
 * started, so a cursor read in the statement that waited for the lock would miss the commit of
 * the process that held it.
 */
export async function lockCursor(trx: Kysely<Schema>, key: CursorKey): Promise<string | null> {
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`manifest-sync:${key.repository}:${key.branch}`}, 0))`.execute(
    trx,
  );
  const row = await trx
    .selectFrom('sync_cursor')
    .select('revision')
    .where('repository', '=', key.repository)
    .where('branch', '=', key.branch)
    .executeTakeFirst();
  return row?.revision ?? null;
}
