import { readControl } from '../db/operations/control/readControl.js';
import { readCursor } from '../db/operations/cursor/readCursor.js';
import { readOpenRefusals } from '../db/operations/refusals/readOpenRefusals.js';
import { readLastRun } from '../db/operations/runs/readLastRun.js';
import type { SyncControl, SyncRefusal, SyncRun } from '../db/schema.js';
import type { GitRepository } from '../git/index.js';
import { resolveTarget } from '../sync/target.js';
import type { SyncContext } from '../sync/types.js';

/** Where the database is against the branch: for `status`, `/readyz` and the page. */
export interface SyncStatus {
  repository: string;
  branch: string;
  /** The manifest folder the database follows. */
  path: string;
  /** Whether branch and folder are recorded (false before the first sync). */
  recorded: boolean;
  head: string;
  cursor: string | null;
  cursorUpdatedAt: Date | null;
  /** First-parent commits after the cursor; null when the cursor is off the branch (rewritten). */
  behind: number | null;
  lastRun: SyncRun | null;
  /** Operator controls: suspension and the last forced resync (null when never set). */
  control: SyncControl | null;
  refusals: SyncRefusal[];
}

/** Reads the cursor, the head, the lag, the last run and the open refusals. */
export async function readStatus(
  context: Pick<SyncContext, 'config' | 'repository' | 'database'>,
): Promise<SyncStatus> {
  const { repository, database } = context;
  const target = await resolveTarget(context.config, repository, database.db);
  const cursor = await readCursor(database.db, target);
  // git counts while the database answers the rest.
  const [behind, lastRun, control, refusals] = await Promise.all([
    countBehind(repository, cursor?.revision ?? null, target.head),
    readLastRun(database.db, target),
    readControl(database.db, target),
    readOpenRefusals(database.db, target),
  ]);
  return {
    repository: target.repository,
    branch: target.branch,
    path: target.path,
    recorded: target.recorded,
    head: target.head,
    cursor: cursor?.revision ?? null,
    cursorUpdatedAt: cursor?.updatedAt ?? null,
    behind,
    lastRun,
    control,
    refusals,
  };
}

/** First-parent commits after the cursor, or null when the cursor is off the branch. */
async function countBehind(
  repository: GitRepository,
  cursor: string | null,
  head: string,
): Promise<number | null> {
  // Synced to the head, the usual answer: no git process (each costs a fork of this process).
  if (cursor === head) return 0;
  if (cursor !== null && !(await repository.isAncestor(cursor, head))) return null;
  return repository.countCommits({ since: cursor, until: head });
}
