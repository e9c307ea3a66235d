import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Database } from '../db/connection.js';
import type { GitRepository } from '../git/index.js';
import type { PlanDecision, Refusal, RevisionReport } from '../plan/types.js';

/** What a sync run works with: passed in, so tests and the daemon choose their own. */
export interface SyncContext {
  config: Config;
  repository: GitRepository;
  database: Database;
  logger: Logger;
  /** @default () => new Date() */
  clock?: () => Date;
  /** @default crypto.randomUUID */
  newId?: () => string;
  /** Called as commits are replayed, for a progress bar. */
  onProgress?: (done: number, total: number) => void;
  /** Called after each transaction that moved the cursor, with the revision it moved to. */
  onCursor?: (revision: string) => void;
  /** Called with each revision's decisions and refusals as soon as they are planned (or applied). */
  onRevision?: (report: RevisionReport) => void;
  /** Aborts between commits (never inside one). */
  signal?: AbortSignal;
}

/** Which repository, branch and manifest folder a run works on, and where the branch is. */
export interface SyncTarget {
  /** The cursor's repository key: the binding's, else --repository-id, else the root commit's sha. */
  repository: string;
  /** The recorded branch (or, before the first sync, --branch or the checked-out one). */
  branch: string;
  head: string;
  /** The recorded manifest folder, relative to the repository root ('' for the root). */
  path: string;
  /** Whether the binding is recorded (false until the first sync writes it). */
  recorded: boolean;
}

/** What a run did to one connector at one revision. */
export interface RevisionDecision extends PlanDecision {
  revision: string;
}

/** What one run did (or, with dryRun, would do). */
export interface SyncReport {
  kind: 'sync' | 'resync';
  dryRun: boolean;
  repository: string;
  branch: string;
  /** The cursor before the run (null on a first run). */
  from: string | null;
  /** The revision the database is at after the run. */
  to: string;
  commitsApplied: number;
  connectorsCreated: number;
  versionsCreated: number;
  refusals: Refusal[];
  /** The cursor was not an ancestor of the head: resynced from the head's snapshot. */
  historyRewritten: boolean;
  decisions: RevisionDecision[];
  durationMs: number;
}
