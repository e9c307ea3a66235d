import type { Kysely } from 'kysely';
import type { Schema, SyncControl } from '../../schema.js';
import type { CursorKey } from '../cursor/lockCursor.js';

/** The operator controls for a repository and branch, or null when none were ever set. */
export async function readControl(db: Kysely<Schema>, key: CursorKey): Promise<SyncControl | null> {
  const row = await db
    .selectFrom('sync_control')
    .selectAll()
    .where('repository', '=', key.repository)
    .where('branch', '=', key.branch)
    .executeTakeFirst();
  return row ?? null;
}
