import { type Kysely, sql } from 'kysely';
import type { VersionPage } from '../audit/types.js';
import type { Schema } from '../db/schema.js';
import { readConnector } from './readConnector.js';
import { selectVersionRows, toVersionRecord } from './versionRows.js';

/**
 * One page of a connector's versions with provenance, newest first by `(created_at, id)`, starting
 * strictly after the keyset `after` (so versions added meanwhile never shift a page). It walks the
 * `(connector_id, created_at, id)` index and stops after `limit` rows, however long the history.
 * Null when no connector has the slug.
 */
export async function readVersionPage(
  db: Kysely<Schema>,
  options: { slug: string; limit: number; after?: { createdAt: string; id: string } | null },
): Promise<VersionPage | null> {
  const { after } = options;
  let query = selectVersionRows(db)
    // The database's own text of the timestamp: microseconds survive into the next page's keyset.
    .select(sql<string>`v.created_at::text`.as('created_key'))
    .where('c.slug', '=', options.slug);
  if (after)
    query = query.where(
      sql<boolean>`(v.created_at, v.id) < (cast(${after.createdAt} as timestamp), cast(${after.id} as uuid))`,
    );
  const rows = await query
    .orderBy('v.created_at', 'desc')
    .orderBy('v.id', 'desc')
    .limit(options.limit + 1)
    .execute();
  if (rows.length === 0 && !(await readConnector(db, options.slug))) return null;
  const shown = rows.slice(0, options.limit);
  const last = shown.at(-1);
  return {
    versions: shown.map(toVersionRecord),
    next: rows.length > options.limit && last ? { createdAt: last.created_key, id: last.id } : null,
  };
}
