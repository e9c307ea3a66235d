import type { Kysely } from 'kysely';
import type { ConnectorState } from '../../../plan/types.js';
import type { Schema } from '../../schema.js';

/**
 * Reads what the planner needs for some connectors (by slug), or for every platform connector
 * when `slugs` is null: each one's row, its latest version with manifest, and all its versions'
 * numbers and hashes. Two queries whatever the count.
 */
export async function readConnectorStates(
  db: Kysely<Schema>,
  options: { slugs: readonly string[] | null; withManifests?: boolean },
): Promise<Map<string, ConnectorState>> {
  if (options.slugs !== null && options.slugs.length === 0) return new Map();
  let query = db
    .selectFrom('connector as c')
    .leftJoin('connectorversion as v', 'v.id', 'c.latest_version_id')
    .select([
      'c.id',
      'c.slug',
      'c.name',
      'c.status',
      'c.is_platform',
      'v.id as version_id',
      'v.version',
      'v.content_hash',
      'v.blob_oid',
    ]);
  if (options.withManifests ?? true) query = query.select('v.manifest');
  query =
    options.slugs === null
      ? query.where('c.is_platform', '=', true)
      : query.where('c.slug', 'in', options.slugs);
  const rows = await query.execute();
  const states = new Map<string, ConnectorState>();
  const bySlugId = new Map<string, ConnectorState>();
  for (const row of rows) {
    const state: ConnectorState = {
      id: row.id,
      slug: row.slug,
      name: row.name,
      status: row.status,
      isPlatform: row.is_platform,
      latest:
        row.version_id && row.version !== null
          ? {
              id: row.version_id,
              version: row.version,
              hash: row.content_hash,
              blobOid: row.blob_oid,
              manifest: 'manifest' in row ? row.manifest : null,
            }
          : null,
      versions: [],
    };
    states.set(row.slug, state);
    bySlugId.set(row.id, state);
  }
  if (bySlugId.size === 0) return states;
  const versions = await db
    .selectFrom('connectorversion as cv')
    .innerJoin('connector as c', 'c.id', 'cv.connector_id')
    .select(['cv.id', 'cv.connector_id', 'cv.version', 'cv.content_hash'])
    .where((eb) =>
      options.slugs === null ? eb('c.is_platform', '=', true) : eb('c.slug', 'in', options.slugs),
    )
    .execute();
  for (const version of versions) {
    bySlugId
      .get(version.connector_id)
      ?.versions.push({ id: version.id, version: version.version, hash: version.content_hash });
  }
  return states;
}
