import type { Kysely } from 'kysely';
import { isHeld, newestVersion } from '../../../plan/holds.js';
import type { ConnectorState } from '../../../plan/types.js';
import type { Schema } from '../../schema.js';
import { chunks, storedSize } from './queryLimits.js';

/** Which connectors {@link readConnectorStates} reads. */
export interface ReadStatesOptions {
  /** These slugs, of any owner: a user's connector is a conflict the planner must see. */
  slugs: readonly string[];
  /**
   * How large the stored manifests read may be, together, in bytes (their size uncompressed, about
   * their text's length): only the states of the slugs before the one that would pass it are
   * read. Unbounded when not given.
   */
  budget?: number;
  /**
   * What the caller already holds of that budget for the slugs before these: when nothing, the
   * first stored manifest is read whatever its length, so a read always makes progress.
   * @default 0
   */
  spent?: number;
}

/** Connectors' states, for the first `read` of the slugs asked. */
export interface StatesRead {
  /** Each connector found among the slugs read (a slug with no connector has none). */
  states: Map<string, ConnectorState>;
  /** How many of the slugs asked, in their order, were read: all, unless the budget ran out. */
  read: number;
  /** For each state read, the size of its latest manifest as stored, uncompressed (0 when none). */
  bytes: Map<string, number>;
}

/** A connector's row with its latest version's, the manifest not read yet: only its size. */
type Row = Awaited<ReturnType<typeof readRows>>[number];

/**
 * Reads what the planner needs for some connectors, by slug: each one's row, its latest version
 * with manifest, and all its versions' numbers and hashes. The rows and the manifests' sizes
 * come first, so a manifest is only read once it is known to fit the budget: memory is bounded by
 * what the caller chose to read, not by what was stored (a commit deleting a thousand connectors
 * of 1 MiB each would otherwise read them all). Four queries per 10,000 slugs.
 */
export async function readConnectorStates(
  db: Kysely<Schema>,
  options: ReadStatesOptions,
): Promise<StatesRead> {
  const { slugs, budget = Number.POSITIVE_INFINITY, spent = 0 } = options;
  const rows = new Map<string, Row>();
  for (const chunk of chunks(slugs))
    for (const row of await readRows(db, chunk)) rows.set(row.slug, row);
  const read = fittingPrefix(slugs, rows, budget, spent);
  const states = new Map<string, ConnectorState>();
  const bytes = new Map<string, number>();
  const byId = new Map<string, ConnectorState>();
  const manifests = new Map<string, ConnectorState>();
  for (const slug of slugs.slice(0, read)) {
    const row = rows.get(slug);
    if (!row || states.has(slug)) continue;
    const state = toState(row);
    states.set(slug, state);
    bytes.set(slug, row.manifest_bytes ?? 0);
    byId.set(row.id, state);
    if (row.version_id && state.latest) manifests.set(row.version_id, state);
  }
  for (const [id, manifest] of await readVersionManifests(db, [...manifests.keys()])) {
    const latest = manifests.get(id)?.latest;
    if (latest) latest.manifest = manifest;
  }
  for (const chunk of chunks([...byId.keys()])) await readVersions(db, chunk, byId);
  await readHeads(db, [...byId.values()].filter(isHeld));
  return { states, read, bytes };
}

/**
 * How many of the slugs, in order, fit `budget` by the size of their stored manifests, `spent`
 * of it being held already: with nothing held, always up to the first that stores one, so a read
 * always makes progress. A slug with no connector, or one asked twice, costs nothing. Pure.
 */
export function fittingPrefix(
  slugs: readonly string[],
  rows: ReadonlyMap<string, { manifest_bytes: number | null }>,
  budget: number,
  spent = 0,
): number {
  const counted = new Set<string>();
  for (const [index, slug] of slugs.entries()) {
    const bytes = counted.has(slug) ? 0 : (rows.get(slug)?.manifest_bytes ?? 0);
    if (bytes > 0 && spent > 0 && spent + bytes > budget) return index;
    spent += bytes;
    counted.add(slug);
  }
  return slugs.length;
}

/** The connectors' rows, their pins, and their latest versions' fields but the manifest's text. */
function readRows(db: Kysely<Schema>, slugs: readonly string[]) {
  if (slugs.length === 0) return Promise.resolve([]);
  return db
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
      storedSize('v.manifest').as('manifest_bytes'),
    ])
    .where('c.slug', 'in', slugs)
    .execute();
}

function toState(row: Row): ConnectorState {
  return {
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
            manifest: null, // read next, by readVersionManifests
          }
        : null,
    versions: [],
    pin: row.pin_version_id ? { versionId: row.pin_version_id, until: row.pin_until } : null,
  };
}

/** Some versions' manifests, by version id: one query per 10,000. */
export async function readVersionManifests(
  db: Kysely<Schema>,
  ids: readonly string[],
): Promise<Map<string, unknown>> {
  const manifests = new Map<string, unknown>();
  for (const chunk of chunks(ids)) {
    const rows = await db
      .selectFrom('connectorversion')
      .select(['id', 'manifest'])
      .where('id', 'in', chunk)
      .execute();
    for (const row of rows) manifests.set(row.id, row.manifest);
  }
  return manifests;
}

/** Fills each connector's `versions`: every stored version's number and hash, and its yank. */
async function readVersions(
  db: Kysely<Schema>,
  ids: readonly string[],
  byId: ReadonlyMap<string, ConnectorState>,
): Promise<void> {
  const versions = await db
    .selectFrom('connectorversion as cv')
    .leftJoin('sync_yank as y', 'y.version_id', 'cv.id')
    .select(['cv.id', 'cv.connector_id', 'cv.version', 'cv.content_hash', 'y.version_id as yanked'])
    .where('cv.connector_id', 'in', ids)
    .execute();
  for (const version of versions) {
    byId.get(version.connector_id)?.versions.push({
      id: version.id,
      version: version.version,
      hash: version.content_hash,
      ...(version.yanked ? { yanked: true } : {}),
    });
  }
}

/**
 * Fills `head` (the newest version, with its manifest) of connectors an operator's pin or yank
 * may hold off it: one query per 10,000, and none at all when no connector is held.
 */
async function readHeads(db: Kysely<Schema>, held: ConnectorState[]): Promise<void> {
  const wanted = new Map<string, ConnectorState>();
  for (const state of held) {
    const newest = newestVersion(state.versions);
    state.head = state.latest && newest?.id === state.latest.id ? state.latest : null;
    if (newest && !state.head) wanted.set(newest.id, state);
  }
  if (wanted.size === 0) return;
  const rows = [];
  for (const chunk of chunks([...wanted.keys()]))
    rows.push(
      ...(await db
        .selectFrom('connectorversion')
        .select(['id', 'version', 'content_hash', 'blob_oid', 'wheel_url', 'manifest'])
        .where('id', 'in', chunk)
        .execute()),
    );
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
