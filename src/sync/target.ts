import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import { readBindings } from '../db/operations/binding/readBindings.js';
import type { Schema, SyncBinding } from '../db/schema.js';
import { BindingConflictError, ConfigError, SourceMissingError } from '../errors.js';
import type { GitRepository } from '../git/index.js';
import type { SyncTarget } from './types.js';

/**
 * Resolves what a run works on: the recorded binding's branch and manifest folder when there is
 * one (whatever is checked out; a contradicting --branch or --path is refused), else the flags,
 * the checked-out branch and the default folder (recorded by the first sync). Then the branch's
 * head, read from its ref, and the cursor's repository key.
 */
export async function resolveTarget(
  config: Config,
  repository: GitRepository,
  db: Kysely<Schema>,
): Promise<SyncTarget> {
  const binding = await findBinding(config, repository, db);
  if (binding) assertFlagsAgree(config, binding);
  const branch = binding?.branch ?? config.branch ?? (await repository.currentBranch());
  if (!branch) {
    throw new ConfigError(
      `HEAD is detached in ${repository.path}: name the branch to track with --branch`,
    );
  }
  const head = await repository.resolveRevision(`refs/heads/${branch}`);
  if (!head) {
    throw new SourceMissingError(
      binding
        ? `the recorded branch '${branch}' does not exist in ${repository.path} (deleted, or not fetched): ` +
            'fetch it, or change the binding on purpose with `manifest-sync rebind --branch NAME --force`'
        : `branch '${branch}' does not exist in ${repository.path}`,
    );
  }
  const id = binding?.repository ?? config.repositoryId ?? (await repository.rootCommit(head));
  return {
    repository: id,
    branch,
    head,
    path: binding?.path ?? config.path,
    recorded: binding !== null && binding.path !== null,
  };
}

/**
 * The recorded branch, for the daemon's watcher and webhook before its first run (the run itself
 * resolves the whole target); null when nothing is recorded. A contradicting --branch is refused.
 * Without the repository (a remote not mirrored yet), a database with several bindings has none.
 */
export async function readRecordedBranch(
  config: Config,
  repository: GitRepository | null,
  db: Kysely<Schema>,
): Promise<string | null> {
  const binding = await findBinding(config, repository, db);
  if (binding) assertFlagsAgree(config, binding);
  return binding?.branch ?? null;
}

/**
 * The binding this repository is held to: --repository-id's, else the database's only one, else
 * (a database several repositories share) the one keyed by the branch's root commit.
 */
export async function findBinding(
  config: Config,
  repository: GitRepository | null,
  db: Kysely<Schema>,
): Promise<SyncBinding | null> {
  const bindings = await readBindings(db, { repository: config.repositoryId });
  if (bindings.length <= 1) return bindings[0] ?? null;
  if (repository === null) return null;
  const branch = config.branch ?? (await repository.currentBranch());
  const head = branch ? await repository.resolveRevision(`refs/heads/${branch}`) : null;
  const root = head ? await repository.rootCommit(head) : null;
  return bindings.find((binding) => binding.repository === root) ?? null;
}

function assertFlagsAgree(config: Config, binding: SyncBinding): void {
  const rebind = '`manifest-sync rebind --branch NAME --path DIR` changes the binding on purpose';
  if (config.branch !== null && config.branch !== binding.branch) {
    throw new BindingConflictError(
      `--branch ${config.branch} contradicts the recorded branch '${binding.branch}' this database follows; ` +
        `drop the flag, or ${rebind}`,
    );
  }
  if (config.pathGiven && binding.path !== null && config.path !== binding.path) {
    throw new BindingConflictError(
      `--path ${config.path || '.'} contradicts the recorded manifest folder '${binding.path || '.'}' this ` +
        `database follows; drop the flag, or ${rebind}`,
    );
  }
}
