import type { Kysely } from 'kysely';
import type { Schema, SyncRun } from '../../schema.js';
import type { CursorKey } from '../cursor/lockCursor.js';

/** The most recent run for a repository and branch, or null before the first. */
export async function readLastRun(db: Kysely<Schema>, key: CursorKey): Promise<SyncRun | null> {
  const row = await db
    .selectFrom('sync_run')
    .selectAll()
    .where('repository', '=', key.repository)
    .where('branch', '=', key.branch)
    .orderBy('started_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ?? null;
}
