import type { Kysely } from 'kysely';
import { orderNewestFirst } from '../audit/orderVersions.js';
import type { VersionRecord } from '../audit/types.js';
import type { Schema } from '../db/schema.js';
import { selectVersionRows, toVersionRecord } from './versionRows.js';

/**
 * Every version of some connectors (by slug) with provenance, newest first per slug, in one
 * query. A slug with no versions (or no connector) has no entry.
 */
export async function readVersionHistories(
  db: Kysely<Schema>,
  options: { slugs: readonly string[] },
): Promise<Map<string, VersionRecord[]>> {
  const histories = new Map<string, VersionRecord[]>();
  if (options.slugs.length === 0) return histories;
  const rows = await selectVersionRows(db).where('c.slug', 'in', options.slugs).execute();
  for (const row of rows) {
    const record = toVersionRecord(row);
    const list = histories.get(record.slug);
    if (list) list.push(record);
    else histories.set(record.slug, [record]);
  }
  for (const [slug, list] of histories) histories.set(slug, orderNewestFirst(list));
  return histories;
}
