import type { Kysely } from 'kysely';
import type { Schema } from '../../schema.js';
import type { CursorKey } from '../cursor/lockCursor.js';

/** Suspends (with who and why) or resumes syncing; kept in the database so it survives restarts. */
export async function writeSuspension(
  db: Kysely<Schema>,
  options: CursorKey & { suspended: boolean; by: string; reason: string | null; now: Date },
): Promise<void> {
  const values = {
    suspended: options.suspended,
    suspended_at: options.suspended ? options.now.toISOString() : null,
    suspended_by: options.suspended ? options.by : null,
    suspend_reason: options.suspended ? options.reason : null,
  };
  await db
    .insertInto('sync_control')
    .values({ repository: options.repository, branch: options.branch, ...values })
    .onConflict((oc) => oc.columns(['repository', 'branch']).doUpdateSet(values))
    .execute();
}
