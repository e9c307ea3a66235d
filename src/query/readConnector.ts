import type { Kysely } from 'kysely';
import type { ConnectorSummary } from '../audit/types.js';
import type { Schema } from '../db/schema.js';
import { readConnectorSummaries } from './readConnectorSummaries.js';

/** One connector with its latest version's provenance, or null when no connector has the slug. */
export async function readConnector(
  db: Kysely<Schema>,
  slug: string,
): Promise<ConnectorSummary | null> {
  const [connector] = await readConnectorSummaries(db, { slug });
  return connector ?? null;
}
