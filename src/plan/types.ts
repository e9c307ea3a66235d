import type { Manifest, ManifestProblem, ManifestResult } from '../manifest/types.js';
import type { Bump, VersionPolicy } from '../versioning/types.js';

/** The git commit a plan applies: the provenance every version it creates carries. */
export interface PlanCommit {
  sha: string;
  authorName: string;
  authorEmail: string;
  authoredAt: Date;
  committedAt: Date;
  message: string;
}

/** One manifest as a revision has it: its text, or null when the revision deleted it. */
export interface ManifestFile {
  /** Path from the repository root, e.g. 'manifests/gmail.json'. */
  path: string;
  slug: string;
  /** The git blob id, or null when deleted. */
  oid: string | null;
  text: string | null;
  /** Set when the blob was over the size limit and left unread (`text` is then ''): its size in bytes. */
  unreadBytes?: number;
  /**
   * `checkFile`'s result for this text at its revision, when it was checked ahead (the replay
   * checks the next manifests while a write finishes); the planner checks it itself otherwise.
   * Trusted as given: whoever sets it checked this file's text for the revision it is planned at.
   */
  checked?: ManifestResult;
}

/** One stored version of a connector, as the planner needs it. */
export interface VersionState {
  id: string;
  version: string;
  /** Content hash; null on rows made before manifest-sync (computed from `manifest` then). */
  hash: string | null;
  /** Withdrawn by an operator: the latest pointer never rests on it. */
  yanked?: boolean;
}

/** What the database holds for one connector, read before planning. */
export interface ConnectorState {
  id: string;
  slug: string;
  name: string;
  status: string;
  isPlatform: boolean;
  /**
   * The version `latest_version_id` points at, with its manifest and its row's `wheel_url`; null
   * when it points nowhere.
   */
  latest:
    | (VersionState & { manifest: unknown; blobOid: string | null; wheelUrl: string | null })
    | null;
  /** Every stored version (for numbering past all of them, and for repairing a moved pointer). */
  versions: VersionState[];
  /** An operator's pin holding the latest pointer (see `src/plan/holds.ts`). */
  pin?: { versionId: string; until: Date | null } | null;
  /**
   * The newest version with its manifest, read when a pin or a yank may keep the pointer off it:
   * new commits are diffed against it, the branch's own last version, not the held pointer.
   */
  head?: ConnectorState['latest'];
}

/** A new version row. */
export interface PlannedVersion {
  id: string;
  connectorId: string;
  slug: string;
  version: string;
  /** The manifest as stored: the file's content with `version` set to the decided version. */
  manifest: Manifest;
  hash: string;
  blobOid: string | null;
  /** The manifest's `wheel_url` resolved with this slug and version; null when it declares none. */
  wheelUrl: string | null;
  bump: Bump;
  /** Why the version is what it is: the classified changes' reasons, then the numbering decision. */
  reasons: string[];
  previousVersion: string | null;
}

/** What a plan does to one connector at one revision, for people (dry runs, logs) and for counting. */
export interface PlanDecision {
  slug: string;
  file: string;
  action:
    | 'create'
    | 'version'
    | 'repoint'
    | 'deprecate'
    | 'revive'
    | 'update'
    | 'refuse'
    | 'unchanged';
  from: string | null;
  to: string | null;
  bump: Bump;
  reasons: string[];
}

/** A manifest refused by validation, version policy or a slug conflict. */
export interface Refusal extends ManifestProblem {
  slug: string | null;
}

/** Everything one revision changes in the database; `applyPlan` executes it and decides nothing. */
export interface SyncPlan {
  revision: string;
  commit: PlanCommit;
  newConnectors: { id: string; slug: string; name: string; status: string }[];
  newVersions: PlannedVersion[];
  /** latest_version_id moves, to a new or an existing version. */
  pointerMoves: { connectorId: string; slug: string; versionId: string; manifest: Manifest }[];
  /** name/status changes on existing connectors (deprecate on delete, revive on restore). */
  connectorUpdates: { connectorId: string; slug: string; name: string; status: string }[];
  refusals: Refusal[];
  /**
   * Files whose earlier open refusals this revision closes: synced cleanly, deleted, or refused
   * afresh (the new refusal replaces the old, so one problem is never listed twice).
   */
  resolvedFiles: string[];
  decisions: PlanDecision[];
}

/** What the planner is given: a revision's manifests and the database's state for their slugs. */
export interface PlanInput {
  commit: PlanCommit;
  files: readonly ManifestFile[];
  state: ReadonlyMap<string, ConnectorState>;
  policy: VersionPolicy;
  newId: () => string;
  /** The time the plan is made at, for operators' pins that expire; without it every pin holds. */
  now?: Date;
}

/** What a plan decided, without the rows it writes: enough to report and count, light to keep. */
export type RevisionReport = Pick<SyncPlan, 'revision' | 'refusals' | 'decisions'>;
