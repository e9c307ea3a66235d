import { writeBinding } from '../db/operations/binding/writeBinding.js';
import { writeRebind } from '../db/operations/binding/writeRebind.js';
import { readCursor } from '../db/operations/cursor/readCursor.js';
import { withCursorLock } from '../db/operations/cursor/withCursorLock.js';
import { BindingConflictError, ConfigError, SourceMissingError } from '../errors.js';
import { assertDirExisted } from './binding.js';
import { clockOf } from './defaults.js';
import { findBinding } from './target.js';
import type { SyncContext } from './types.js';

/** What `rebind` changed. */
export interface RebindReport {
  repository: string;
  from: { branch: string; path: string | null } | null;
  to: { branch: string; path: string };
  /** The revision the database is at; the next sync continues from it on the new branch. */
  cursor: string | null;
  /** Commits on the old branch after the cursor, left unapplied (null: unknown, the branch is gone or rewritten). */
  pending: number | null;
  forced: boolean;
}

/**
 * Changes the binding on purpose: `--branch` and/or `--path` become the recorded ones. Refused
 * while the recorded branch has commits after the cursor (they would never be applied) unless
 * forced; the new branch must exist and the folder must have existed in its history. The cursor
 * and the operator controls follow the branch. Logged, and kept in `sync_binding`.
 */
export async function rebind(
  context: SyncContext,
  options: { branch: string | null; path: string | null; force: boolean },
): Promise<RebindReport> {
  const { config, repository, database, logger } = context;
  if (options.branch === null && options.path === null) {
    throw new ConfigError(
      'rebind needs --branch NAME, --path DIR or both: what to follow from now on',
    );
  }
  const binding = await findBinding({ ...config, branch: null }, repository, database.db);
  const branch = options.branch ?? binding?.branch ?? (await repository.currentBranch());
  if (!branch) throw new ConfigError('HEAD is detached: name the branch with --branch');
  const path = options.path ?? binding?.path ?? config.path;
  const head = await repository.resolveRevision(`refs/heads/${branch}`);
  if (!head)
    throw new SourceMissingError(`branch '${branch}' does not exist in ${repository.path}`);
  const target = { repository: '', branch, head, path, recorded: false };
  await assertDirExisted(repository, target);
  const now = clockOf(context)();
  const by = config.actor;
  if (!binding) {
    const id = config.repositoryId ?? (await repository.rootCommit(head));
    await writeBinding(database.db, { repository: id, branch, path, by, now });
    logger.info(
      { repository: id, branch, path, by },
      'bound the database (rebind, nothing recorded before)',
    );
    return {
      repository: id,
      from: null,
      to: { branch, path },
      cursor: null,
      pending: 0,
      forced: options.force,
    };
  }
  const key = { repository: binding.repository, branch: binding.branch };
  const cursor = (await readCursor(database.db, key))?.revision ?? null;
  const pending = await countPending(context, binding.branch, cursor);
  if (pending !== 0 && !options.force) {
    throw new BindingConflictError(
      (pending === null
        ? `the recorded branch '${binding.branch}' is gone or no longer contains the cursor, so what is unapplied is unknown`
        : `${pending} commit(s) on the recorded branch '${binding.branch}' after the cursor are not applied yet`) +
        ': `manifest-sync sync` them first, or rebind with --force to leave them unapplied',
    );
  }
  const locked = await withCursorLock(database.db, { ...key, expected: cursor }, (trx) =>
    writeRebind(trx, { from: binding, branch, path, by, now }),
  );
  if (!locked.ok) {
    throw new BindingConflictError('a sync moved the cursor meanwhile: run rebind again');
  }
  const report: RebindReport = {
    repository: binding.repository,
    from: { branch: binding.branch, path: binding.path },
    to: { branch, path },
    cursor,
    pending,
    forced: options.force,
  };
  logger.warn({ ...report, by }, 'rebound: the database follows another branch or manifest folder');
  return report;
}

/** First-parent commits on `branch` after the cursor; null when that cannot be known. */
async function countPending(
  context: SyncContext,
  branch: string,
  cursor: string | null,
): Promise<number | null> {
  if (cursor === null) return 0;
  const { repository } = context;
  const head = await repository.resolveRevision(`refs/heads/${branch}`);
  if (!head || !(await repository.isAncestor(cursor, head))) return null;
  return repository.countCommits({ since: cursor, until: head });
}
