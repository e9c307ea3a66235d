/**
 * The few error classes manifest-sync throws. Problems with manifests are data
 * (ManifestProblem), not exceptions; these are for the run itself going wrong.
 * Exit codes are decided in one place: src/cli/exitCodes.ts.
 */

/** Bad flags, environment or configuration: the person running the command must change something. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** The database could not be reached, migrated or written. */
export class DatabaseError extends Error {
  override name = 'DatabaseError';
}

/** The embedded database is held by another process. */
export class StoreLockedError extends Error {
  override name = 'StoreLockedError';
}

/** Input that is not valid (a manifest given to `diff`): the person must fix it. */
export class InvalidInputError extends Error {
  override name = 'InvalidInputError';
}

/** A named thing (connector, version, revision) does not exist. */
export class NotFoundError extends Error {
  override name = 'NotFoundError';
}

/** A flag contradicts the recorded binding, or a rebind is refused: the person must choose on purpose. */
export class BindingConflictError extends Error {
  override name = 'BindingConflictError';
}

/** The tracked branch, or the manifest folder in its whole history, does not exist in the repository. */
export class SourceMissingError extends Error {
  override name = 'SourceMissingError';
}

/** An operator action refused (unknown version, wrong target, yanked, …): `code` says which. */
export class OperatorRefusedError extends Error {
  override name = 'OperatorRefusedError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
