/**
 * Every error class manifest-sync throws, each with a stable `code`. Problems with manifests are
 * data (ManifestProblem), not exceptions; these are for the run itself going wrong. The code is
 * what callers branch on: the CLI's exit code (src/cli/exitCodes.ts), the daemon's HTTP status
 * (src/daemon/httpStatus.ts) and the `code` of a `--json` error all map from it, never from a
 * class name. No imports at run time: the CLI loads this before anything heavy.
 */
import type { OperatorRefusalCode } from './plan/operatorTypes.js';

/** The code of each error class (an operator's refusal carries its own, from the planner). */
export type ErrorCode =
  | 'usage'
  | 'database'
  | 'store-locked'
  | 'invalid-input'
  | 'not-found'
  | 'binding-conflict'
  | 'source-missing'
  | 'suspended'
  | 'git'
  | 'not-a-repository'
  | 'unknown-revision'
  | 'not-ancestor'
  | 'shallow-history'
  | OperatorRefusalCode;

/** What any error that escaped is: one of ours, or `internal` (a bug). */
export type FailureCode = ErrorCode | 'internal';

/** The base of every error class here: `code` says which failure it is. */
export abstract class ManifestSyncError extends Error {
  abstract readonly code: ErrorCode;
}

/** Bad flags, environment or configuration: the person running the command must change something. */
export class ConfigError extends ManifestSyncError {
  override name = 'ConfigError';
  readonly code: ErrorCode = 'usage';
}

/** The database could not be reached, migrated or written. */
export class DatabaseError extends ManifestSyncError {
  override name = 'DatabaseError';
  readonly code: ErrorCode = 'database';
}

/** The embedded database is held by another process. */
export class StoreLockedError extends ManifestSyncError {
  override name = 'StoreLockedError';
  readonly code: ErrorCode = 'store-locked';
}

/** Input that is not valid (a manifest given to `diff`): the person must fix it. */
export class InvalidInputError extends ManifestSyncError {
  override name = 'InvalidInputError';
  readonly code: ErrorCode = 'invalid-input';
}

/** A named thing (connector, version, revision) does not exist. */
export class NotFoundError extends ManifestSyncError {
  override name = 'NotFoundError';
  readonly code: ErrorCode = 'not-found';
}

/** A flag contradicts the recorded binding, or a rebind is refused: the person must choose on purpose. */
export class BindingConflictError extends ManifestSyncError {
  override name = 'BindingConflictError';
  readonly code: ErrorCode = 'binding-conflict';
}

/** The tracked branch, or the manifest folder in its whole history, does not exist in the repository. */
export class SourceMissingError extends ManifestSyncError {
  override name = 'SourceMissingError';
  readonly code: ErrorCode = 'source-missing';
}

/** Syncing is suspended by an operator: nothing may be applied until it is resumed. */
export class SuspendedError extends ManifestSyncError {
  override name = 'SuspendedError';
  readonly code: ErrorCode = 'suspended';
}

/** An operator action refused (unknown version, wrong target, yanked, …): `code` says which. */
export class OperatorRefusedError extends ManifestSyncError {
  override name = 'OperatorRefusedError';
  constructor(
    readonly code: OperatorRefusalCode,
    message: string,
  ) {
    super(message);
  }
}

/** Every refusal code, to check one that arrived over HTTP. */
const REFUSAL_CODES: Record<OperatorRefusalCode, true> = {
  'unknown-connector': true,
  'unknown-version': true,
  'wrong-target': true,
  'connector-gone': true,
  'yank-state': true,
  'nowhere-to-go': true,
};

/** Whether `code` is an operator refusal's code. */
export function isRefusalCode(code: unknown): code is OperatorRefusalCode {
  return typeof code === 'string' && Object.hasOwn(REFUSAL_CODES, code);
}

/** What a failed git command left behind, for logs and for callers that branch on the exit code. */
export interface GitErrorDetails {
  cause?: unknown;
  args?: readonly string[];
  exitCode?: number | null;
  stderr?: string;
}

/** A git command failed or its output could not be understood. */
export class GitError extends ManifestSyncError {
  override name = 'GitError';
  readonly code: ErrorCode = 'git';
  readonly args: readonly string[] | undefined;
  /** git's own exit code, when it ran. */
  readonly exitCode: number | null | undefined;
  readonly stderr: string | undefined;

  constructor(message: string, details: GitErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.args = details.args;
    this.exitCode = details.exitCode;
    this.stderr = details.stderr;
  }
}

/** The path given to `openRepository` is missing or not inside a git repository. */
export class NotARepositoryError extends GitError {
  override name = 'NotARepositoryError';
  override readonly code: ErrorCode = 'not-a-repository';
}

/** A revision (sha, branch, tag, expression) does not name a commit in the repository. */
export class UnknownRevisionError extends GitError {
  override name = 'UnknownRevisionError';
  override readonly code: ErrorCode = 'unknown-revision';
  readonly revision: string;

  constructor(revision: string, details: GitErrorDetails = {}) {
    super(`unknown revision: ${JSON.stringify(revision)}`, details);
    this.revision = revision;
  }
}

/** `check`'s base is not an ancestor of its head: the range is not "the commits a merge adds". */
export class NotAncestorError extends GitError {
  override name = 'NotAncestorError';
  override readonly code: ErrorCode = 'not-ancestor';
}

/** A shallow clone lacks the history a command needs (the base, or the commits up to it). */
export class ShallowHistoryError extends GitError {
  override name = 'ShallowHistoryError';
  override readonly code: ErrorCode = 'shallow-history';
}

/**
 * PostgreSQL SQLSTATE classes that mean "the server is not there for us" rather than "this query
 * is wrong": 08 connection exception, 28 invalid authorization, 3D invalid catalog (no such
 * database), 57P01-57P03 the server shutting down or starting.
 */
const UNAVAILABLE = /^(08|28|3D|57P0[123])/;

/** The Node.js socket errors of a server that cannot be reached. */
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EPIPE',
]);

/** Whether `error` (or its cause) says the database cannot be reached, as opposed to a bug or bad input. */
export function isConnectionError(error: unknown): boolean {
  for (let e = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (UNREACHABLE.has(code) || UNAVAILABLE.test(code))) return true;
    if (
      /Connection terminated|connect ECONNREFUSED|timeout exceeded when trying to connect/i.test(
        String((e as Error).message ?? ''),
      )
    )
      return true;
  }
  return false;
}

/**
 * The code of any error: ours carry theirs; commander's usage errors (codes `commander.*`) are
 * `usage`; a pg or PGlite error saying the database cannot be reached is `database`; anything
 * else is `internal`.
 */
export function errorCodeOf(error: unknown): FailureCode {
  if (error instanceof ManifestSyncError) return error.code;
  if (isCommanderError(error)) return 'usage';
  return isConnectionError(error) ? 'database' : 'internal';
}

/** Whether `error` is commander's (its codes start with `commander.`): a usage error, or --help. */
export function isCommanderError(error: unknown): error is Error & { exitCode: number } {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' && code.startsWith('commander.');
}
