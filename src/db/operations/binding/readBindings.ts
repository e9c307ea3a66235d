import type { Kysely } from 'kysely';
import type { Schema, SyncBinding } from '../../schema.js';

/** The recorded bindings: of one repository key, or all of them (a database normally has one). */
export async function readBindings(
  db: Kysely<Schema>,
  options: { repository: string | null },
): Promise<SyncBinding[]> {
  let query = db.selectFrom('sync_binding').selectAll();
  if (options.repository !== null) query = query.where('repository', '=', options.repository);
  return query.orderBy('repository').execute();
}
