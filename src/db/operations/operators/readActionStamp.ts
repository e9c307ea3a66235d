import { type Kysely, sql } from 'kysely';
import type { Schema } from '../../schema.js';

/**
 * A short text that changes with every operator action (each appends one row, in the action's
 * transaction): cached reads are keyed by it too, since a rollback or a yank moves no cursor.
 */
export async function readActionStamp(db: Kysely<Schema>): Promise<string> {
  const row = await db
    .selectFrom('sync_operator_action')
    .select(sql<string | null>`max(id)::text`.as('id'))
    .executeTakeFirstOrThrow();
  return row.id ?? '-';
}
