import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** TIMESTAMP (without time zone) columns hold UTC; written as ISO strings, read as Dates. */
type Timestamp = ColumnType<Date, string, string>;
type DefaultedTimestamp = ColumnType<Date, string | undefined, string>;
type Json<T = unknown> = ColumnType<T, string, string>;

/** The platform's `connector` table, as ../shared/seed/connector-schema.md has it. */
export interface ConnectorTable {
  id: string;
  slug: string;
  name: string;
  status: string;
  latest_version_id: string | null;
  created_at: DefaultedTimestamp;
  owner_id: string | null;
  is_platform: Generated<boolean>;
  created_by: string | null;
}

/** The platform's `connectorversion` table plus the provenance columns manifest-sync adds. */
export interface ConnectorVersionTable {
  id: string;
  connector_id: string;
  version: string;
  manifest: Json;
  wheel_url: string | null;
  created_at: DefaultedTimestamp;
  commit_sha: string | null;
  content_hash: string | null;
  blob_oid: string | null;
  bump: string | null;
  reasons: Json<string[]> | null;
}

/** A git commit that produced versions. */
export interface SyncCommitTable {
  sha: string;
  repository: string;
  author_name: string;
  author_email: string;
  authored_at: Timestamp;
  committed_at: Timestamp;
  message: string;
  reachable: Generated<boolean>;
  recorded_at: DefaultedTimestamp;
}

/** The last applied revision per repository and branch. */
export interface SyncCursorTable {
  repository: string;
  branch: string;
  revision: string;
  updated_at: DefaultedTimestamp;
}

/** The branch and manifest folder a repository's cursor follows (see migrations/0004). */
export interface SyncBindingTable {
  repository: string;
  branch: string;
  /** Null only on a database synced before the binding existed: the next sync records it. */
  path: string | null;
  bound_at: DefaultedTimestamp;
  bound_by: string | null;
  previous_branch: string | null;
  previous_path: string | null;
}

/** One sync run. */
export interface SyncRunTable {
  id: string;
  repository: string;
  branch: string;
  kind: 'sync' | 'resync';
  outcome: 'applied' | 'refused' | 'failed' | 'noop' | 'interrupted';
  from_revision: string | null;
  to_revision: string | null;
  commits_applied: Generated<number>;
  versions_created: Generated<number>;
  manifests_refused: Generated<number>;
  history_rewritten: Generated<boolean>;
  error: string | null;
  started_at: Timestamp;
  finished_at: Timestamp;
}

/** A manifest refused by validation or version policy. */
export interface SyncRefusalTable {
  id: string;
  repository: string;
  branch: string;
  commit_sha: string;
  file: string;
  slug: string | null;
  pointer: string;
  code: string;
  message: string;
  line: number | null;
  column: number | null;
  created_at: DefaultedTimestamp;
  resolved_by: string | null;
}

/** Operator controls: suspension and the last forced resync. */
export interface SyncControlTable {
  repository: string;
  branch: string;
  suspended: Generated<boolean>;
  suspended_at: Timestamp | null;
  suspended_by: string | null;
  suspend_reason: string | null;
  last_resync_at: Timestamp | null;
  last_resync_trigger: string | null;
  last_resync_outcome: string | null;
  last_resync_detail: string | null;
}

/** An operator's pin: the connector's latest pointer held on one version. */
export interface SyncPinTable {
  connector_id: string;
  version_id: string;
  pinned_at: Timestamp;
  pinned_by: string;
  reason: string;
  until: Timestamp | null;
}

/** A version an operator withdrew: the latest pointer never rests on it. */
export interface SyncYankTable {
  version_id: string;
  connector_id: string;
  yanked_at: Timestamp;
  yanked_by: string;
  reason: string;
}

/** One operator action (append-only): who, when, what, why. */
export interface SyncOperatorActionTable {
  id: Generated<string>;
  at: Timestamp;
  actor: string;
  via: string;
  action: string;
  repository: string;
  branch: string;
  slug: string | null;
  version: string | null;
  from_version: string | null;
  to_version: string | null;
  until: Timestamp | null;
  reason: string | null;
  detail: string | null;
}

/** Every table manifest-sync reads or writes. */
export interface Schema {
  connector: ConnectorTable;
  connectorversion: ConnectorVersionTable;
  sync_commit: SyncCommitTable;
  sync_cursor: SyncCursorTable;
  sync_run: SyncRunTable;
  sync_refusal: SyncRefusalTable;
  sync_control: SyncControlTable;
  sync_binding: SyncBindingTable;
  sync_pin: SyncPinTable;
  sync_yank: SyncYankTable;
  sync_operator_action: SyncOperatorActionTable;
}

export type Connector = Selectable<ConnectorTable>;
export type NewConnector = Insertable<ConnectorTable>;
export type ConnectorUpdate = Updateable<ConnectorTable>;
export type ConnectorVersion = Selectable<ConnectorVersionTable>;
export type NewConnectorVersion = Insertable<ConnectorVersionTable>;
export type SyncCommit = Selectable<SyncCommitTable>;
export type NewSyncCommit = Insertable<SyncCommitTable>;
export type SyncRun = Selectable<SyncRunTable>;
export type NewSyncRun = Insertable<SyncRunTable>;
export type SyncRefusal = Selectable<SyncRefusalTable>;
export type NewSyncRefusal = Insertable<SyncRefusalTable>;
export type SyncControl = Selectable<SyncControlTable>;
export type SyncBinding = Selectable<SyncBindingTable>;
