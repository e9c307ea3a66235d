/** What an operator can do to a connector's versions. */
export type VersionAction = 'rollback' | 'pin' | 'unpin' | 'yank' | 'unyank';

/** Every operator action the audit table records. */
export type OperatorActionName = VersionAction | 'suspend' | 'resume' | 'resync';

/** An operator's request on one connector, as given (versions as `1.2.3` or `slug@1.2.3`). */
export type OperatorRequest =
  | { action: 'rollback'; slug: string; to: string | null; reason: string; until: Date | null }
  | { action: 'pin'; slug: string; version: string | null; reason: string; until: Date | null }
  | { action: 'unpin'; slug: string; reason: string }
  | { action: 'yank' | 'unyank'; slug: string; version: string; reason: string };

/** One connector as an operator action needs it, read under the lock. */
export interface OperatorState {
  id: string;
  slug: string;
  status: string;
  isPlatform: boolean;
  /** The `status` in the manifest of the version the pointer is on (deleted files keep theirs). */
  latestManifestStatus: string | null;
  latestVersionId: string | null;
  versions: { id: string; version: string; yanked: boolean }[];
  pin: { versionId: string; until: Date | null; by: string; reason: string } | null;
}

/** Why an action is refused; the CLI maps each to its exit code, the admin API to a status. */
export type OperatorRefusalCode =
  | 'unknown-connector'
  | 'unknown-version'
  | 'wrong-target'
  | 'connector-gone'
  | 'yank-state'
  | 'nowhere-to-go';

/** A refused action: nothing is written. */
export interface OperatorRefusal {
  code: OperatorRefusalCode;
  message: string;
}

/** The audit row's content, before the shell adds who, when, how and where. */
export interface OperatorAudit {
  action: OperatorActionName;
  slug: string | null;
  version: string | null;
  fromVersion: string | null;
  toVersion: string | null;
  until: Date | null;
  reason: string | null;
  detail: string | null;
}

/** What an accepted action writes; `applyOperatorPlan` executes it and decides nothing. */
export interface OperatorPlan {
  connectorId: string;
  slug: string;
  /** The version the latest pointer moves to, or null when it stays. */
  pointer: { versionId: string; version: string } | null;
  /** Set (or replace) the connector's pin, clear it, or leave it. */
  pin: { versionId: string; until: Date | null; reason: string } | 'clear' | null;
  /** Yank or unyank one version, or neither. */
  yank: { versionId: string; yanked: boolean; reason: string } | null;
  audit: OperatorAudit;
}

/** An operator action's verdict. */
export type OperatorVerdict =
  | { ok: true; plan: OperatorPlan }
  | { ok: false; refusal: OperatorRefusal };
