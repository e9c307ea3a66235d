import type { Kysely } from 'kysely';
import type { VersionDetail } from '../audit/types.js';
import type { Schema } from '../db/schema.js';
import { orderManifestKeys } from '../manifest/keyOrder.js';
import { selectVersionRows, toVersionRecord } from './versionRows.js';

/**
 * One stored version with its manifest (keys in the format's order, as the CLI, the API and the
 * page print it) and provenance, or null when there is none.
 */
export async function readVersion(
  db: Kysely<Schema>,
  options: { slug: string; version: string },
): Promise<VersionDetail | null> {
  const row = await selectVersionRows(db)
    .select('v.manifest')
    .where('c.slug', '=', options.slug)
    .where('v.version', '=', options.version)
    .executeTakeFirst();
  return row ? { ...toVersionRecord(row), manifest: orderManifestKeys(row.manifest) } : null;
}
