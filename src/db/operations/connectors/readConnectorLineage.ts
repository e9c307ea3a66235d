import type { Kysely } from 'kysely';
import type { ConnectorLineage } from '../../../plan/rewindState.js';
import type { Schema } from '../../schema.js';
import { chunks, storedSize } from './queryLimits.js';

/**
 * Every version of some connectors, with the commit that made it and its manifest's size, not the
 * manifest (null): what a dry run needs to see the database as it was at an earlier revision,
 * which reads only the manifest of the version then latest (`readVersionManifests`), not a
 * connector's whole history. One query per 10,000 slugs.
 */
export async function readConnectorLineage(
  db: Kysely<Schema>,
  slugs: readonly string[],
): Promise<ConnectorLineage[]> {
  const byId = new Map<string, ConnectorLineage>();
  for (const chunk of chunks(slugs)) {
    const rows = await db
      .selectFrom('connector as c')
      .leftJoin('connectorversion as v', 'v.connector_id', 'c.id')
      .select([
        'c.id',
        'c.slug',
        'c.name',
        'c.status',
        'c.is_platform',
        'c.latest_version_id',
        'v.id as version_id',
        'v.version',
        'v.content_hash',
        'v.blob_oid',
        'v.wheel_url',
        'v.commit_sha',
        storedSize('v.manifest').as('manifest_bytes'),
      ])
      .where('c.slug', 'in', chunk)
      .execute();
    for (const row of rows) {
      let lineage = byId.get(row.id);
      if (!lineage) {
        lineage = {
          id: row.id,
          slug: row.slug,
          name: row.name,
          status: row.status,
          isPlatform: row.is_platform,
          latestVersionId: row.latest_version_id,
          versions: [],
        };
        byId.set(row.id, lineage);
      }
      if (row.version_id === null || row.version === null) continue;
      lineage.versions.push({
        id: row.version_id,
        version: row.version,
        hash: row.content_hash,
        blobOid: row.blob_oid,
        wheelUrl: row.wheel_url,
        commitSha: row.commit_sha,
        manifest: null,
        bytes: row.manifest_bytes ?? 0,
      });
    }
  }
  return [...byId.values()];
}
