import type { Kysely } from 'kysely';
import type { NewSyncRun, Schema } from '../../schema.js';

/** Appends one run to the run log. */
export async function writeRun(db: Kysely<Schema>, run: NewSyncRun): Promise<void> {
  await db.insertInto('sync_run').values(run).execute();
}
