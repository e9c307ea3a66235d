import type { Kysely } from 'kysely';
import type { Schema } from '../../schema.js';
import type { CursorKey } from './lockCursor.js';

/** Moves the cursor to `revision` (inside the transaction that applied it). */
export async function writeCursor(
  trx: Kysely<Schema>,
  options: CursorKey & { revision: string; now: Date },
): Promise<void> {
  const updatedAt = options.now.toISOString();
  await trx
    .insertInto('sync_cursor')
    .values({
      repository: options.repository,
      branch: options.branch,
      revision: options.revision,
      updated_at: updatedAt,
    })
    .onConflict((oc) =>
      oc
        .columns(['repository', 'branch'])
        .doUpdateSet({ revision: options.revision, updated_at: updatedAt }),
    )
    .execute();
}
