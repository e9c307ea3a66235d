import type { Kysely } from 'kysely';
import type { Schema } from '../../schema.js';
import { chunks } from './queryLimits.js';

/** What a resync needs to know of one platform connector before it reads any manifest. */
export interface StoredBlob {
  status: string;
  /** The git blob its latest version was made from (null: none, or made by hand). */
  blobOid: string | null;
}

/**
 * Every platform connector's status and latest blob, by slug, in one query of three short columns
 * per connector (no versions, no manifests): a resync compares them with the head's tree and reads
 * only the manifests that differ.
 */
export async function readStoredBlobs(db: Kysely<Schema>): Promise<Map<string, StoredBlob>> {
  const rows = await db
    .selectFrom('connector as c')
    .leftJoin('connectorversion as v', 'v.id', 'c.latest_version_id')
    .select(['c.slug', 'c.status', 'v.blob_oid'])
    .where('c.is_platform', '=', true)
    .execute();
  return new Map(rows.map((row) => [row.slug, { status: row.status, blobOid: row.blob_oid }]));
}

/**
 * The platform connectors a repository manages (a version of it came from one of the
 * repository's commits), but for the slugs in `except`: a resync's missing files. The costly
 * check is made only for the connectors not excepted (usually none): made for every connector, it
 * cost PostgreSQL 0.56 s at 100,000 against 0.08 s for their slugs alone.
 */
export async function readManagedSlugs(
  db: Kysely<Schema>,
  options: { repository: string; except: ReadonlySet<string> },
): Promise<string[]> {
  const rows = await db
    .selectFrom('connector')
    .select('slug')
    .where('is_platform', '=', true)
    .execute();
  const others = rows.map((row) => row.slug).filter((slug) => !options.except.has(slug));
  const managed = new Set<string>();
  for (const chunk of chunks(others)) {
    const found = await db
      .selectFrom('connector as c')
      .select('c.slug')
      .where('c.is_platform', '=', true)
      .where('c.slug', 'in', chunk)
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('connectorversion as mv')
            .innerJoin('sync_commit as mc', 'mc.sha', 'mv.commit_sha')
            .select('mv.id')
            .whereRef('mv.connector_id', '=', 'c.id')
            .where('mc.repository', '=', options.repository),
        ),
      )
      .execute();
    for (const row of found) managed.add(row.slug);
  }
  return others.filter((slug) => managed.has(slug));
}
