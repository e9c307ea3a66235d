import type { Kysely } from 'kysely';
import type { Schema, SyncBinding } from '../../schema.js';

/** What a first sync records. */
export interface NewBinding {
  repository: string;
  branch: string;
  path: string;
  by: string;
  now: Date;
}

/**
 * Records the binding when the repository has none (or, from before the binding existed, no
 * folder yet), and returns what is recorded afterwards: another process's binding, if it won the
 * race, is returned unchanged for the caller to hold its flags against.
 */
export async function writeBinding(db: Kysely<Schema>, binding: NewBinding): Promise<SyncBinding> {
  await db
    .insertInto('sync_binding')
    .values({
      repository: binding.repository,
      branch: binding.branch,
      path: binding.path,
      bound_at: binding.now.toISOString(),
      bound_by: binding.by,
    })
    .onConflict((oc) =>
      oc
        .column('repository')
        .doUpdateSet({ path: binding.path })
        .where('sync_binding.path', 'is', null)
        .where('sync_binding.branch', '=', binding.branch),
    )
    .execute();
  return db
    .selectFrom('sync_binding')
    .selectAll()
    .where('repository', '=', binding.repository)
    .executeTakeFirstOrThrow();
}
