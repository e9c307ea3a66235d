import { writeBinding } from '../db/operations/binding/writeBinding.js';
import { BindingConflictError, SourceMissingError } from '../errors.js';
import type { GitRepository } from '../git/index.js';
import { clockOf } from './defaults.js';
import type { SyncContext, SyncTarget } from './types.js';

/**
 * A folder that was never in the branch's history is a wrong --path or the wrong repository, not
 * "no manifests": refused before anything moves. (A folder a commit removed is that commit's
 * deletion of every manifest, which deprecates them like any deleted file.)
 */
export async function assertDirExisted(
  repository: GitRepository,
  target: SyncTarget,
): Promise<void> {
  if (await repository.dirExisted({ revision: target.head, dir: target.path })) return;
  throw new SourceMissingError(
    `the manifest folder '${target.path}' has never existed on ${target.branch} in ${repository.path}: ` +
      'check --path (relative to the repository root) and --repo; nothing was synced',
  );
}

/**
 * Records the target as the binding on a first sync. When another process recorded a different
 * one meanwhile, this run's flags contradict it: refused, as a flag against the record is.
 */
export async function recordBinding(context: SyncContext, target: SyncTarget): Promise<void> {
  if (target.recorded) return;
  const recorded = await writeBinding(context.database.db, {
    repository: target.repository,
    branch: target.branch,
    path: target.path,
    by: context.config.actor,
    now: clockOf(context)(),
  });
  if (recorded.branch !== target.branch || recorded.path !== target.path) {
    throw new BindingConflictError(
      `this database was meanwhile bound to branch '${recorded.branch}', folder '${recorded.path}', ` +
        `not '${target.branch}', '${target.path}': nothing was synced`,
    );
  }
  context.logger.info(
    { repository: target.repository, branch: target.branch, path: target.path },
    'bound the database to this branch and manifest folder',
  );
}
