import type { Kysely } from 'kysely';
import type { ConnectorSummary } from '../audit/types.js';
import type { Schema } from '../db/schema.js';
import { AUTH_COLUMN, toVersionRecord, VERSION_COLUMNS, type VersionRow } from './versionRows.js';

/**
 * Which connectors {@link readConnectorSummaries} reads: one slug, or `limit` of them in slug order
 * after the slug `after`, optionally only those whose slug or name contains `search`.
 */
export type SummaryFilter =
  | { slug: string }
  | { limit: number; after?: string | null; search?: string | null };

/** `search` as an ILIKE pattern that matches it literally anywhere in the text. */
export function containsPattern(search: string): string {
  return `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Connectors with the version their latest pointer is on (and its commit) and how many versions
 * each has, in one query. A page walks the slug index and stops after `limit` rows.
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
  if ('slug' in filter) {
    query = query.where('c.slug', '=', filter.slug);
  } else {
    if (filter.after) query = query.where('c.slug', '>', filter.after);
    if (filter.search) {
      const pattern = containsPattern(filter.search);
      query = query.where((eb) =>
        eb.or([eb('c.slug', 'ilike', pattern), eb('c.name', 'ilike', pattern)]),
      );
    }
    query = query.orderBy('c.slug').limit(filter.limit);
  }
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
