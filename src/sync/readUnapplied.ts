import { readCursor } from '../db/operations/cursor/readCursor.js';
import { resolveTarget } from './target.js';
import type { SyncContext } from './types.js';

/** The commits on the branch the database has not applied yet. */
export interface Unapplied {
  head: string;
  cursor: string | null;
  /** First-parent commits after the cursor, oldest first; null when the cursor is off the branch. */
  commits: string[] | null;
}

/**
 * Reads where the branch is now, the cursor, and the commits between them: three git processes
 * and one small query, none of them inside a transaction. For the lag gauges when the ref moves.
 */
export async function readUnapplied(
  context: Pick<SyncContext, 'config' | 'repository' | 'database'>,
): Promise<Unapplied> {
  const { repository, database } = context;
  const target = await resolveTarget(context.config, repository, database.db);
  const cursor = (await readCursor(database.db, target))?.revision ?? null;
  if (cursor !== null && !(await repository.isAncestor(cursor, target.head)))
    return { head: target.head, cursor, commits: null };
  const commits = await repository.listCommits({ since: cursor, until: target.head });
  return { head: target.head, cursor, commits };
}
