import { isConnectionError } from '../db/connectionErrors.js';

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

/** Maps an error that escaped a command to its exit code, by class name (cheap: no heavy imports). */
export function exitCodeFor(error: unknown): number {
  switch ((error as Error | undefined)?.name) {
    case 'ConfigError':
    case 'CommanderError':
      return ExitCode.usage;
    case 'DatabaseError':
    case 'StoreLockedError':
      return ExitCode.database;
    case 'GitError':
    case 'NotARepositoryError':
      return ExitCode.git;
    case 'NotAncestorError':
      return ExitCode.notAncestor;
    case 'ShallowHistoryError':
      return ExitCode.shallow;
    case 'InvalidInputError':
      return ExitCode.problems;
    case 'SuspendedError':
      return ExitCode.suspended;
    case 'BindingConflictError':
      return ExitCode.binding;
    case 'SourceMissingError':
      return ExitCode.sourceMissing;
    case 'UnknownRevisionError':
    case 'NotFoundError':
      return ExitCode.notFound;
    case 'OperatorRefusedError':
      return refusalExitCode((error as { code?: string }).code);
    default:
      return isConnectionError(error) ? ExitCode.database : ExitCode.internal;
  }
}

/** The name of an exit code (`usage`, `database`, …), the `code` of a `--json` error. */
export function exitCodeName(code: number): string {
  return Object.entries(ExitCode).find(([, value]) => value === code)?.[0] ?? 'internal';
}

/** An operator action's refusal code (src/plan/operatorTypes.ts) as an exit code. */
export function refusalExitCode(code: string | undefined): number {
  switch (code) {
    case 'unknown-connector':
    case 'unknown-version':
      return ExitCode.notFound;
    case 'wrong-target':
      return ExitCode.wrongTarget;
    case 'connector-gone':
      return ExitCode.connectorGone;
    case 'yank-state':
      return ExitCode.yankState;
    case 'nowhere-to-go':
      return ExitCode.nowhereToGo;
    default:
      return ExitCode.internal;
  }
}
