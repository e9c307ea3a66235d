import type { Kysely } from 'kysely';
import type { ConnectorSummary } from '../../../audit/types.js';
import type { Schema } from '../../schema.js';
import { AUTH_COLUMN, toVersionRecord, VERSION_COLUMNS, type VersionRow } from './versionRows.js';

/** Which connectors {@link readConnectorSummaries} reads: one slug, or a page in slug order. */
export type SummaryFilter = { slug: string } | { limit: number; offset: number };

/**
 * Connectors with the version their latest pointer is on (and its commit) and how many versions
 * each has, in one query.
 */
export async function readConnectorSummaries(
  db: Kysely<Schema>,
  filter: SummaryFilter,
): Promise<ConnectorSummary[]> {
  let query = db
    .selectFrom('connector as c')
    .leftJoin('connectorversion as v', 'v.id', 'c.latest_version_id')
    .leftJoin('sync_commit as sc', 'sc.sha', 'v.commit_sha')
    .select([
      'c.slug',
      'c.name',
      'c.status',
      'c.is_platform',
      'c.created_at as connector_created_at',
      'c.latest_version_id',
      ...VERSION_COLUMNS,
      AUTH_COLUMN,
    ])
    .select((eb) =>
      eb
        .selectFrom('connectorversion as cv')
        .whereRef('cv.connector_id', '=', 'c.id')
        .select(eb.fn.countAll<string | number>().as('n'))
        .as('version_count'),
    );
  query =
    'slug' in filter
      ? query.where('c.slug', '=', filter.slug)
      : query.orderBy('c.slug').limit(filter.limit).offset(filter.offset);
  const rows = await query.execute();
  return rows.map((row) => ({
    slug: row.slug,
    name: row.name,
    status: row.status,
    isPlatform: row.is_platform,
    createdAt: row.connector_created_at,
    versionCount: Number(row.version_count ?? 0),
    // The left join leaves the version's columns null when the pointer is empty.
    latest: row.id === null ? null : toVersionRecord(row as VersionRow),
  }));
}
