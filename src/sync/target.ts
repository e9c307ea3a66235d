import type { Config } from '../config.js';
import { ConfigError } from '../errors.js';
import type { GitRepository } from '../git/index.js';
import type { SyncTarget } from './types.js';

/** Resolves the tracked branch, its head and the repository's cursor key. */
export async function resolveTarget(
  config: Config,
  repository: GitRepository,
): Promise<SyncTarget> {
  const branch = config.branch ?? (await repository.currentBranch());
  if (!branch) {
    throw new ConfigError(
      `HEAD is detached in ${repository.path}: name the branch to track with --branch`,
    );
  }
  const head = await repository.resolveRevision(`refs/heads/${branch}`);
  if (!head) throw new ConfigError(`branch '${branch}' does not exist in ${repository.path}`);
  const id = config.repositoryId ?? (await repository.rootCommit(head));
  return { repository: id, branch, head };
}
