import { type Kysely, sql } from 'kysely';
import type { Schema } from '../../schema.js';

/**
 * A short text that changes whenever any cursor moves (every applied commit moves one, in the same
 * transaction as its rows), whichever process moved it: what cached reads are keyed by. One
 * aggregate over a table of one row per tracked branch.
 */
export async function readCursorStamp(db: Kysely<Schema>): Promise<string> {
  const row = await db
    .selectFrom('sync_cursor')
    .select([
      sql<string | null>`max(updated_at)::text`.as('at'),
      sql<string | null>`max(revision)`.as('revision'),
      (eb) => eb.fn.countAll<string | number>().as('n'),
    ])
    .executeTakeFirstOrThrow();
  return `${row.n}:${row.at ?? '-'}:${row.revision ?? '-'}`;
}
