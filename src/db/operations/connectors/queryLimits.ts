import { type RawBuilder, sql } from 'kysely';

/**
 * Slugs or ids bound in one statement at most: PostgreSQL binds at most 65,535 parameters, and a
 * full sync of 100,000 manifests asks about all of them at once.
 */
const IDS_PER_QUERY = 10_000;

/** Some slugs or ids in pieces of at most IDS_PER_QUERY, one statement each; none when empty. */
export function* chunks<T>(items: readonly T[]): Generator<T[]> {
  for (let i = 0; i < items.length; i += IDS_PER_QUERY) yield items.slice(i, i + IDS_PER_QUERY);
}

/**
 * A stored manifest's size as PostgreSQL holds it uncompressed, without reading it: `||` makes an
 * uncompressed copy (~1 µs a manifest; rendering it as text to measure that cost ten times more).
 * Close to its text's length (typical manifests: 16% more), and to what it takes parsed.
 */
export function storedSize(column: string): RawBuilder<number | null> {
  return sql<number | null>`pg_column_size(${sql.ref(column)} || '{}'::jsonb)`;
}
