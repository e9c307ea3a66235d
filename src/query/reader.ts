import type { ActionRecord } from '../audit/actionTypes.js';
import type { ConnectorSummary, VersionDetail, VersionRecord } from '../audit/types.js';
import type { ActionFilter } from './readOperatorActions.js';
import type { SyncStatus } from './readStatus.js';
import type { VersionAtRevision } from './readVersionAtRevision.js';

/** Operator actions, newest first, with how many match in all. */
export interface ActionLog {
  total: number;
  actions: ActionRecord[];
}

/**
 * The questions the CLI's read-only commands ask, answered alike from the database
 * ({@link databaseReader}) or through a running daemon's read API ({@link daemonReader}).
 */
export interface Reader {
  /** The repository revisions are resolved in, for messages: a path, or the daemon's. */
  readonly repositoryName: string;
  /** The cursor, the head, the lag, the last run and the open refusals. */
  readStatus(): Promise<SyncStatus>;
  /** One connector with its latest version, or null when no connector has the slug. */
  readConnector(slug: string): Promise<ConnectorSummary | null>;
  /** Every version of a connector, newest first; null when no connector has the slug. */
  readVersionHistory(slug: string): Promise<VersionRecord[] | null>;
  /** One stored version with its manifest, or null. */
  readVersion(ref: { slug: string; version: string }): Promise<VersionDetail | null>;
  /** The version live at a revision (sha, branch or tag), or which name was unknown. */
  readVersionAtRevision(ref: { slug: string; revision: string }): Promise<VersionAtRevision>;
  /** Operator actions, newest first. */
  readOperatorActions(filter: ActionFilter): Promise<ActionLog>;
  /** Every slug, for "did you mean" (a daemon's reader has none to offer). */
  readSlugs(): Promise<string[]>;
}
