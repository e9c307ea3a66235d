import type { Kysely } from 'kysely';
import type { Schema } from '../../schema.js';
import type { CursorKey } from '../cursor/lockCursor.js';

/** Remembers the last forced resync: when, what asked for it, and how it ended. */
export async function writeForcedResync(
  db: Kysely<Schema>,
  options: CursorKey & {
    trigger: string;
    outcome: 'applied' | 'failed';
    detail: string;
    now: Date;
  },
): Promise<void> {
  const values = {
    last_resync_at: options.now.toISOString(),
    last_resync_trigger: options.trigger,
    last_resync_outcome: options.outcome,
    last_resync_detail: options.detail,
  };
  await db
    .insertInto('sync_control')
    .values({ repository: options.repository, branch: options.branch, ...values })
    .onConflict((oc) => oc.columns(['repository', 'branch']).doUpdateSet(values))
    .execute();
}
