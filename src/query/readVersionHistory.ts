import type { Kysely } from 'kysely';
import type { VersionRecord } from '../audit/types.js';
import type { Schema } from '../db/schema.js';
import { readConnector } from './readConnector.js';
import { readVersionHistories } from './readVersionHistories.js';

/**
 * One connector's versions with provenance, newest first (created_at, then higher semver);
 * null when no connector has the slug.
 */
export async function readVersionHistory(
  db: Kysely<Schema>,
  slug: string,
): Promise<VersionRecord[] | null> {
  const connector = await readConnector(db, slug);
  if (!connector) return null;
  const histories = await readVersionHistories(db, { slugs: [slug] });
  return histories.get(slug) ?? [];
}
