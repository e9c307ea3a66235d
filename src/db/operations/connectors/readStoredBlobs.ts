import type { Kysely } from 'kysely';
import type { Schema } from '../../schema.js';

/** What a resync needs to know of one platform connector before it reads any manifest. */
export interface StoredBlob {
  status: string;
  /** The git blob its latest version was made from (null: none, or made by hand). */
  blobOid: string | null;
  /** Whether a version of it came from `managedBy`'s commits (false when not asked). */
  managed: boolean;
}

/**
 * Every platform connector's status and latest blob, by slug, in one query of three short columns
 * per connector (no versions, no manifests): a resync compares them with the head's tree and reads
 * only the manifests that differ. With `managedBy`, also whether this repository manages it (it is
 * then deprecated when its file is missing).
 */
export async function readStoredBlobs(
  db: Kysely<Schema>,
  options: { managedBy?: string } = {},
): Promise<Map<string, StoredBlob>> {
  const { managedBy } = options;
  const rows = await db
    .selectFrom('connector as c')
    .leftJoin('connectorversion as v', 'v.id', 'c.latest_version_id')
    .select((eb) => [
      'c.slug',
      'c.status',
      'v.blob_oid',
      (managedBy
        ? eb.exists(
            eb
              .selectFrom('connectorversion as mv')
              .innerJoin('sync_commit as mc', 'mc.sha', 'mv.commit_sha')
              .select('mv.id')
              .whereRef('mv.connector_id', '=', 'c.id')
              .where('mc.repository', '=', managedBy),
          )
        : eb.lit(false)
      ).as('managed'),
    ])
    .where('c.is_platform', '=', true)
    .execute();
  return new Map(
    rows.map((row) => [
      row.slug,
      { status: row.status, blobOid: row.blob_oid, managed: Boolean(row.managed) },
    ]),
  );
}
