import type { Kysely } from 'kysely';
import type { ConnectorPage } from '../../../audit/types.js';
import type { Schema } from '../../schema.js';
import { readConnectorSummaries } from './readConnectorSummaries.js';

/** One page of connectors in slug order, each with its latest version, and how many there are. */
export async function listConnectors(
  db: Kysely<Schema>,
  options: { limit: number; offset: number },
): Promise<ConnectorPage> {
  const [connectors, count] = await Promise.all([
    readConnectorSummaries(db, options),
    db
      .selectFrom('connector')
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  return { total: Number(count.n), limit: options.limit, offset: options.offset, connectors };
}
