import type { Kysely } from 'kysely';
import type { ConnectorPage } from '../audit/types.js';
import type { Schema } from '../db/schema.js';
import { containsPattern, readConnectorSummaries } from './readConnectorSummaries.js';

/**
 * One page of connectors in slug order after the slug `after` (a keyset: rows added meanwhile
 * never shift a page), each with its latest version; how many match in all; whether more follow.
 * `search` keeps the connectors whose slug or name contains it (case-insensitive).
 */
export async function listConnectors(
  db: Kysely<Schema>,
  options: { limit: number; after?: string | null; search?: string | null },
): Promise<ConnectorPage> {
  let count = db
    .selectFrom('connector as c')
    .select((eb) => eb.fn.countAll<string | number>().as('n'));
  if (options.search) {
    const pattern = containsPattern(options.search);
    count = count.where((eb) =>
      eb.or([eb('c.slug', 'ilike', pattern), eb('c.name', 'ilike', pattern)]),
    );
  }
  // One row more than asked says whether another page follows, without counting what is after it.
  const [rows, total] = await Promise.all([
    readConnectorSummaries(db, { ...options, limit: options.limit + 1 }),
    count.executeTakeFirstOrThrow(),
  ]);
  return {
    total: Number(total.n),
    limit: options.limit,
    connectors: rows.slice(0, options.limit),
    more: rows.length > options.limit,
  };
}
