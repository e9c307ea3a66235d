import { type Kysely, sql } from 'kysely';
import type { OperatorState } from '../../../plan/operatorTypes.js';
import type { Schema } from '../../schema.js';

/**
 * One connector as an operator action needs it (its versions with their yanks, its pin), its row
 * locked `FOR UPDATE` so that two actions on it take turns. Null when no connector has the slug.
 */
export async function readOperatorState(
  trx: Kysely<Schema>,
  slug: string,
): Promise<OperatorState | null> {
  const connector = await trx
    .selectFrom('connector')
    .select(['id', 'slug', 'status', 'is_platform', 'latest_version_id'])
    .where('slug', '=', slug)
    .forUpdate()
    .executeTakeFirst();
  if (!connector) return null;
  const [versions, pin] = [
    await trx
      .selectFrom('connectorversion as v')
      .leftJoin('sync_yank as y', 'y.version_id', 'v.id')
      .select(['v.id', 'v.version', 'y.version_id as yanked'])
      .select(sql<string | null>`v.manifest->>'status'`.as('manifest_status'))
      .where('v.connector_id', '=', connector.id)
      .execute(),
    await trx
      .selectFrom('sync_pin')
      .select(['version_id', 'until', 'pinned_by', 'reason'])
      .where('connector_id', '=', connector.id)
      .executeTakeFirst(),
  ];
  const latest = versions.find((v) => v.id === connector.latest_version_id);
  return {
    id: connector.id,
    slug: connector.slug,
    status: connector.status,
    isPlatform: connector.is_platform,
    latestManifestStatus: latest?.manifest_status ?? null,
    latestVersionId: connector.latest_version_id,
    versions: versions.map((v) => ({ id: v.id, version: v.version, yanked: v.yanked !== null })),
    pin: pin
      ? { versionId: pin.version_id, until: pin.until, by: pin.pinned_by, reason: pin.reason }
      : null,
  };
}
