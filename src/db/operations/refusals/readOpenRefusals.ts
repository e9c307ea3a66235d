import type { Kysely } from 'kysely';
import type { Schema, SyncRefusal } from '../../schema.js';
import type { CursorKey } from '../cursor/lockCursor.js';

/** Refusals no later commit has resolved, oldest first. */
export async function readOpenRefusals(db: Kysely<Schema>, key: CursorKey): Promise<SyncRefusal[]> {
  return db
    .selectFrom('sync_refusal')
    .selectAll()
    .where('repository', '=', key.repository)
    .where('branch', '=', key.branch)
    .where('resolved_by', 'is', null)
    .orderBy('created_at')
    .orderBy('file')
    .execute();
}
