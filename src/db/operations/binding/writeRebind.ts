import type { Kysely } from 'kysely';
import type { Schema, SyncBinding } from '../../schema.js';

/** A deliberate change of the binding. */
export interface Rebind {
  /** The binding as recorded now (its repository key stays). */
  from: SyncBinding;
  branch: string;
  path: string;
  by: string;
  now: Date;
}

/**
 * Changes the binding inside the caller's transaction (which holds the cursor's lock). The cursor
 * and the operator controls follow the branch, so the next sync continues from the revision the
 * database is at: replaying what the new branch has after it, or resyncing from its head when the
 * cursor is not on it. A stale cursor left at the new branch by an older binding is dropped.
 */
export async function writeRebind(trx: Kysely<Schema>, rebind: Rebind): Promise<void> {
  const { repository, branch: oldBranch } = rebind.from;
  if (rebind.branch !== oldBranch) {
    for (const table of ['sync_cursor', 'sync_control'] as const) {
      await trx
        .deleteFrom(table)
        .where('repository', '=', repository)
        .where('branch', '=', rebind.branch)
        .execute();
      await trx
        .updateTable(table)
        .set({ branch: rebind.branch })
        .where('repository', '=', repository)
        .where('branch', '=', oldBranch)
        .execute();
    }
  }
  await trx
    .updateTable('sync_binding')
    .set({
      branch: rebind.branch,
      path: rebind.path,
      bound_at: rebind.now.toISOString(),
      bound_by: rebind.by,
      previous_branch: oldBranch,
      previous_path: rebind.from.path,
    })
    .where('repository', '=', repository)
    .execute();
}
