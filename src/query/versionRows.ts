import { type Kysely, sql } from 'kysely';
import type { CommitRecord, VersionRecord } from '../audit/types.js';
import type { Schema } from '../db/schema.js';
import { effectiveAuthMode } from '../manifest/authMode.js';

/** A version's own columns the audit reads: all but its manifest, which can be large. */
export const VERSION_FIELDS = [
  'id',
  'version',
  'created_at',
  'bump',
  'reasons',
  'content_hash',
  'blob_oid',
  'wheel_url',
  'commit_sha',
] as const;

/** A version's and its commit's columns, as `connectorversion as v` joined to `sync_commit as sc`. */
export const VERSION_COLUMNS = [
  ...VERSION_FIELDS.map((field) => `v.${field}` as const),
  'sc.repository',
  'sc.author_name',
  'sc.author_email',
  'sc.authored_at',
  'sc.committed_at',
  'sc.message',
  'sc.reachable',
] as const;

/**
 * What decides a version's auth mode, read from its manifest without the rest of it: `auth_mode`
 * and `oauth.version` where present, `oauth: {}` when there is an oauth block.
 */
export const AUTH_COLUMN = sql<unknown>`jsonb_strip_nulls(jsonb_build_object(
  'auth_mode', v.manifest->'auth_mode',
  'oauth', CASE WHEN jsonb_typeof(v.manifest->'oauth') = 'object'
    THEN jsonb_build_object('version', v.manifest->'oauth'->'version') END))`.as('auth');

/**
 * What a {@link VersionRow} is made of, over `connector as c`, a version `v` (the table or a
 * lateral subquery of it), `sync_commit as sc` and `sync_yank as y`.
 */
export const VERSION_ROW_COLUMNS = [
  'c.slug',
  'c.latest_version_id',
  'y.version_id as yanked',
  ...VERSION_COLUMNS,
  AUTH_COLUMN,
] as const;

/**
 * The query every audit read starts from: versions with their connector and, when they have
 * one, the commit that produced them. Callers add their own `where`.
 */
export function selectVersionRows(db: Kysely<Schema>) {
  return db
    .selectFrom('connectorversion as v')
    .innerJoin('connector as c', 'c.id', 'v.connector_id')
    .leftJoin('sync_commit as sc', 'sc.sha', 'v.commit_sha')
    .leftJoin('sync_yank as y', 'y.version_id', 'v.id')
    .select(VERSION_ROW_COLUMNS);
}

/** A row of {@link selectVersionRows}. */
export type VersionRow = Omit<
  Awaited<ReturnType<ReturnType<typeof selectVersionRows>['execute']>>[number],
  'yanked'
> & {
  /** The yank's version id when an operator yanked it; absent where the query does not join yanks. */
  yanked?: string | null;
};

/** Maps a joined row to the audit's record. */
export function toVersionRecord(row: VersionRow): VersionRecord {
  return {
    slug: row.slug,
    version: row.version,
    latest: row.latest_version_id === row.id,
    // Summaries read the pointer's version, which is never a yanked one: no join there.
    yanked: Boolean(row.yanked),
    createdAt: row.created_at,
    bump: row.bump,
    reasons: Array.isArray(row.reasons) ? row.reasons.map(String) : [],
    contentHash: row.content_hash,
    blobOid: row.blob_oid,
    wheelUrl: row.wheel_url,
    authMode: effectiveAuthMode(row.auth) ?? null,
    commit: toCommitRecord(row),
  };
}

function toCommitRecord(row: VersionRow): CommitRecord | null {
  if (row.commit_sha === null || row.author_name === null) return null;
  return {
    sha: row.commit_sha,
    repository: row.repository ?? '',
    authorName: row.author_name,
    authorEmail: row.author_email ?? '',
    authoredAt: row.authored_at as Date,
    committedAt: row.committed_at as Date,
    message: row.message ?? '',
    reachable: row.reachable ?? true,
  };
}
