import { type Kysely, sql } from 'kysely';
import type { Schema } from '../../schema.js';

/** Pins whose `until` is at or before `now`: they no longer hold and wait to be released. */
export async function readExpiredPins(
  db: Kysely<Schema>,
  now: Date,
): Promise<{ slug: string; by: string; until: Date }[]> {
  const rows = await db
    .selectFrom('sync_pin as p')
    .innerJoin('connector as c', 'c.id', 'p.connector_id')
    .select(['c.slug', 'p.pinned_by', 'p.until'])
    .where(sql<boolean>`p.until <= ${now.toISOString()}::timestamp`)
    .orderBy('c.slug')
    .execute();
  return rows.map((row) => ({ slug: row.slug, by: row.pinned_by, until: row.until as Date }));
}
