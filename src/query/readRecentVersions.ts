import type { Kysely } from 'kysely';
import type { VersionRecord } from '../audit/types.js';
import type { Schema } from '../db/schema.js';
import { toVersionRecord, VERSION_FIELDS, VERSION_ROW_COLUMNS } from './versionRows.js';

/**
 * The newest `perConnector` versions of some connectors (by slug), newest first per slug, in one
 * query: a lateral join reads each connector's `(connector_id, created_at, id)` index and stops
 * after `perConnector` rows, so the cost follows the page, not the history. A slug with no versions
 * (or no connector) has no entry.
 */
export async function readRecentVersions(
  db: Kysely<Schema>,
  options: { slugs: readonly string[]; perConnector: number },
): Promise<Map<string, VersionRecord[]>> {
  const recent = new Map<string, VersionRecord[]>();
  if (options.slugs.length === 0) return recent;
  const rows = await db
    .selectFrom('connector as c')
    .innerJoinLateral(
      (eb) =>
        eb
          .selectFrom('connectorversion as cv')
          // The manifest only for AUTH_COLUMN's few keys: the outer query never returns it.
          .select([...VERSION_FIELDS.map((field) => `cv.${field}` as const), 'cv.manifest'])
          .whereRef('cv.connector_id', '=', 'c.id')
          .orderBy('cv.created_at', 'desc')
          .orderBy('cv.id', 'desc')
          .limit(options.perConnector)
          .as('v'),
      (join) => join.onTrue(),
    )
    .leftJoin('sync_commit as sc', 'sc.sha', 'v.commit_sha')
    .leftJoin('sync_yank as y', 'y.version_id', 'v.id')
    .select(VERSION_ROW_COLUMNS)
    .where('c.slug', 'in', options.slugs)
    .orderBy('c.slug')
    .orderBy('v.created_at', 'desc')
    .orderBy('v.id', 'desc')
    .execute();
  for (const row of rows) {
    const record = toVersionRecord(row);
    const list = recent.get(record.slug);
    if (list) list.push(record);
    else recent.set(record.slug, [record]);
  }
  return recent;
}
