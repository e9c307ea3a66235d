/** What a failed git command left behind, for logs and for callers that branch on the exit code. */
export interface GitErrorDetails {
  cause?: unknown;
  args?: readonly string[];
  exitCode?: number | null;
  stderr?: string;
}

/** A git command failed or its output could not be understood. */
export class GitError extends Error {
  override name = 'GitError';
  readonly args: readonly string[] | undefined;
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
}

/** A revision (sha, branch, tag, expression) does not name a commit in the repository. */
export class UnknownRevisionError extends GitError {
  override name = 'UnknownRevisionError';
  readonly revision: string;

  constructor(revision: string, details: GitErrorDetails = {}) {
    super(`unknown revision: ${JSON.stringify(revision)}`, details);
    this.revision = revision;
  }
}

/** `check`'s base is not an ancestor of its head: the range is not "the commits a merge adds". */
export class NotAncestorError extends GitError {
  override name = 'NotAncestorError';
}

/** A shallow clone lacks the history a command needs (the base, or the commits up to it). */
export class ShallowHistoryError extends GitError {
  override name = 'ShallowHistoryError';
}
