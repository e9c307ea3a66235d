import type { Kysely } from 'kysely';
import type { Schema } from '../../schema.js';
import type { CursorKey } from './lockCursor.js';

/** The last applied revision, without locking (for status and for deciding whether to start). */
export async function readCursor(
  db: Kysely<Schema>,
  key: CursorKey,
): Promise<{ revision: string; updatedAt: Date } | null> {
  const row = await db
    .selectFrom('sync_cursor')
    .select(['revision', 'updated_at'])
    .where('repository', '=', key.repository)
    .where('branch', '=', key.branch)
    .executeTakeFirst();
  return row ? { revision: row.revision, updatedAt: row.updated_at } : null;
}
