import type { Kysely } from 'kysely';
import { isHeld, newestVersion } from '../../../plan/holds.js';
import type { ConnectorState } from '../../../plan/types.js';
import type { Schema } from '../../schema.js';

/**
 * Slugs per query: a statement may bind at most 65,535 parameters, and a full sync of 100,000
 * manifests asks for all of them at once.
 */
const SLUGS_PER_QUERY = 10_000;

/** Which connectors {@link readConnectorStates} reads. */
export interface ReadStatesOptions {
  /** These slugs, of any owner: a user's connector is a conflict the planner must see. */
  slugs: readonly string[];
}

/**
 * Reads what the planner needs for some connectors, by slug: each one's row, its latest version
 * with manifest, and all its versions' numbers and hashes. Two queries per 10,000 slugs.
 */
export async function readConnectorStates(
  db: Kysely<Schema>,
  options: ReadStatesOptions,
): Promise<Map<string, ConnectorState>> {
  const { slugs } = options;
  if (slugs.length <= SLUGS_PER_QUERY) return readChunk(db, options);
  const states = new Map<string, ConnectorState>();
  for (let i = 0; i < slugs.length; i += SLUGS_PER_QUERY) {
    const chunk = slugs.slice(i, i + SLUGS_PER_QUERY);
    for (const [slug, state] of await readChunk(db, { ...options, slugs: chunk })) {
      states.set(slug, state);
    }
  }
  return states;
}

async function readChunk(
  db: Kysely<Schema>,
  options: ReadStatesOptions,
): Promise<Map<string, ConnectorState>> {
  if (options.slugs.length === 0) return new Map();
  const rows = await db
    .selectFrom('connector as c')
    .leftJoin('connectorversion as v', 'v.id', 'c.latest_version_id')
    .leftJoin('sync_pin as p', 'p.connector_id', 'c.id')
    .select([
      'p.version_id as pin_version_id',
      'p.until as pin_until',
      'c.id',
      'c.slug',
      'c.name',
      'c.status',
      'c.is_platform',
      'v.id as version_id',
      'v.version',
      'v.content_hash',
      'v.blob_oid',
      'v.wheel_url',
      'v.manifest',
    ])
    .where('c.slug', 'in', options.slugs)
    .execute();
  const states = new Map<string, ConnectorState>();
  const byId = new Map<string, ConnectorState>();
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
              wheelUrl: row.wheel_url,
              manifest: row.manifest,
            }
          : null,
      versions: [],
      pin: row.pin_version_id ? { versionId: row.pin_version_id, until: row.pin_until } : null,
    };
    states.set(row.slug, state);
    byId.set(row.id, state);
  }
  if (byId.size === 0) return states;
  const versions = await db
    .selectFrom('connectorversion as cv')
    .innerJoin('connector as c', 'c.id', 'cv.connector_id')
    .leftJoin('sync_yank as y', 'y.version_id', 'cv.id')
    .select(['cv.id', 'cv.connector_id', 'cv.version', 'cv.content_hash', 'y.version_id as yanked'])
    .where('c.slug', 'in', options.slugs)
    .execute();
  for (const version of versions) {
    byId.get(version.connector_id)?.versions.push({
      id: version.id,
      version: version.version,
      hash: version.content_hash,
      ...(version.yanked ? { yanked: true } : {}),
    });
  }
  await readHeads(db, [...byId.values()].filter(isHeld));
  return states;
}

/**
 * Fills `head` (the newest version, with its manifest) of connectors an operator's pin or yank
 * may hold off it: one query, and none at all when no connector is held.
 */
async function readHeads(db: Kysely<Schema>, held: ConnectorState[]): Promise<void> {
  const wanted = new Map<string, ConnectorState>();
  for (const state of held) {
    const newest = newestVersion(state.versions);
    state.head = state.latest && newest?.id === state.latest.id ? state.latest : null;
    if (newest && !state.head) wanted.set(newest.id, state);
  }
  if (wanted.size === 0) return;
  const rows = await db
    .selectFrom('connectorversion')
    .select(['id', 'version', 'content_hash', 'blob_oid', 'wheel_url', 'manifest'])
    .where('id', 'in', [...wanted.keys()])
    .execute();
  for (const row of rows) {
    const state = wanted.get(row.id);
    if (state)
      state.head = {
        id: row.id,
        version: row.version,
        hash: row.content_hash,
        blobOid: row.blob_oid,
        wheelUrl: row.wheel_url,
        manifest: row.manifest,
      };
  }
}
