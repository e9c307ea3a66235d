import type { Kysely } from 'kysely';
import type { Schema } from '../db/schema.js';

/** Every connector's slug, for suggesting one when a name is mistyped. */
export async function readSlugs(db: Kysely<Schema>): Promise<string[]> {
  const rows = await db.selectFrom('connector').select('slug').orderBy('slug').execute();
  return rows.map((row) => row.slug);
}
