import { errorCodeOf, type FailureCode } from '../errors.js';

/** Exit codes, decided here and nowhere else. */
export const ExitCode = {
  ok: 0,
  /** Ran, and found problems: invalid or refused manifests. */
  problems: 1,
  /** Bad flags or configuration. */
  usage: 2,
  /** The database could not be reached, migrated, or the embedded store is held by another process. */
  database: 3,
  /** git failed: not a repository, unknown revision. */
  git: 4,
  /** A named connector, version or revision does not exist. */
  notFound: 5,
  /** An operator has suspended syncing (`manifest-sync resume`). */
  suspended: 6,
  /** A flag contradicts the recorded branch or manifest folder, or a rebind is refused (commits pending). */
  binding: 7,
  /** The tracked branch does not exist, or the manifest folder never existed in its history. */
  sourceMissing: 8,
  /** `check --fail-on major|minor`: the change bumps a connector that far; a person should approve it. */
  checkGate: 10,
  /** `check`: the base is not an ancestor of the head (the branch moved on; use the fork point). */
  notAncestor: 11,
  /** `check`: a shallow clone lacks the base or the history to it (fetch more: `git fetch --deepen`). */
  shallow: 12,
  /** rollback/pin/yank: the version named belongs to another connector, or a rollback's target is not earlier than the latest (or --until is past). */
  wrongTarget: 20,
  /** rollback/pin on a deleted connector (its manifest removed), or any operator action on a user's connector. */
  connectorGone: 21,
  /** The version is already yanked (yank), not yanked (unyank), yanked (rollback/pin to it), pinned (yank), or the connector is not pinned (unpin). */
  yankState: 22,
  /** Nowhere for the pointer to go: no earlier version that is not yanked, or a yank would leave none. */
  nowhereToGo: 23,
  /** A bug: anything else. */
  internal: 70,
} as const;

/** The exit code of each error code: the table the exit codes above are chosen from. */
export const EXIT_CODE: Readonly<Record<FailureCode, number>> = {
  usage: ExitCode.usage,
  database: ExitCode.database,
  'store-locked': ExitCode.database,
  'invalid-input': ExitCode.problems,
  'not-found': ExitCode.notFound,
  'binding-conflict': ExitCode.binding,
  'source-missing': ExitCode.sourceMissing,
  suspended: ExitCode.suspended,
  git: ExitCode.git,
  'not-a-repository': ExitCode.git,
  'unknown-revision': ExitCode.notFound,
  'not-ancestor': ExitCode.notAncestor,
  'shallow-history': ExitCode.shallow,
  'unknown-connector': ExitCode.notFound,
  'unknown-version': ExitCode.notFound,
  'wrong-target': ExitCode.wrongTarget,
  'connector-gone': ExitCode.connectorGone,
  'yank-state': ExitCode.yankState,
  'nowhere-to-go': ExitCode.nowhereToGo,
  internal: ExitCode.internal,
};

/** Maps an error that escaped a command to its exit code, by its code (src/errors.ts). */
export function exitCodeFor(error: unknown): number {
  return EXIT_CODE[errorCodeOf(error)] ?? ExitCode.internal;
}
