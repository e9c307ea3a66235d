/** One commit's metadata, as git records it. */
export interface CommitInfo {
  sha: string;
  /** Parent shas, first parent first; empty for a root commit. */
  parents: string[];
  authorName: string;
  authorEmail: string;
  authoredAt: Date;
  committedAt: Date;
  /** The full message (subject and body), without trailing newlines. */
  message: string;
  /** What could not be read as git recorded it and what was stored instead (an out-of-range date). */
  notes: string[];
}

/** One manifest file that a commit added, modified, deleted or renamed. */
export interface FileChange {
  status: 'added' | 'modified' | 'deleted' | 'renamed';
  /** Path before the commit (relative to the repository root); null when added. */
  oldPath: string | null;
  /** Path after the commit; null when deleted. */
  newPath: string | null;
  /** Blob id before the commit; null when added. */
  oldOid: string | null;
  /** Blob id after the commit; null when deleted. */
  newOid: string | null;
}

/** A commit with its manifest changes against its first parent (only `*.json` directly in the directory). */
export interface CommitChanges extends CommitInfo {
  changes: FileChange[];
}

/** One manifest in a snapshot: its path from the repository root and its blob id. */
export interface SnapshotEntry {
  path: string;
  oid: string;
}

/** A blob's UTF-8 text, or null when it was over the limit asked for and left unread; its size in bytes. */
export interface SizedText {
  text: string | null;
  bytes: number;
  /** Left unread because the call's budget was spent before it (see `readBlobsUpTo`). */
  deferred?: true;
}

/** Options of `GitRepository.readCommits`. */
export interface ReadCommitsOptions {
  /** Exclusive lower bound (usually the cursor); null walks from the root commit. */
  since: string | null;
  /** Inclusive upper bound (usually the branch head). */
  until: string;
  /** Manifest directory relative to the repository root; '' or '.' for the root. */
  dir: string;
}

/** Read-only access to a git repository's history and objects; the only thing that runs git. */
export interface GitRepository {
  /** Absolute path of the repository (its work tree top level, or the git directory when bare). */
  readonly path: string;
  /** Absolute path of the common git directory (`.git`, also from a linked worktree; the repository itself when bare): where refs live. */
  readonly gitDir: string;
  /** The checked-out branch's short name, or null when HEAD is detached. */
  currentBranch(): Promise<string | null>;
  /** The full sha of the commit `rev` names, or null when it names none. */
  resolveRevision(rev: string): Promise<string | null>;
  /** Whether `ancestor` is reachable from `descendant` (a commit is its own ancestor); false when either is unknown. */
  isAncestor(ancestor: string, descendant: string): Promise<boolean>;
  /** One commit's metadata; throws UnknownRevisionError when `sha` names no commit. */
  readCommit(sha: string): Promise<CommitInfo>;
  /** First-parent commits in (since, until], oldest first, each with its manifest changes (possibly none). */
  readCommits(opts: ReadCommitsOptions): AsyncIterable<CommitChanges>;
  /** How many first-parent commits are in (since, until]. */
  countCommits(opts: { since: string | null; until: string }): Promise<number>;
  /** The first-parent commits after `since` up to `until`, oldest first (as `countCommits` counts them). */
  listCommits(opts: { since: string | null; until: string }): Promise<string[]>;
  /** The root commit of `revision`'s first-parent history: a name for the repository that every clone shares. */
  rootCommit(revision: string): Promise<string>;
  /** Every commit on `revision`'s first-parent history. */
  listRevisions(revision: string): Promise<Set<string>>;
  /**
   * The manifest changes from one revision's tree to another's in one step (`git diff-tree -M`),
   * as a squash merge would make them; commits in between are not looked at.
   */
  diffRevisions(opts: { from: string; to: string; dir: string }): Promise<FileChange[]>;
  /** Whether this is a shallow clone (history cut off at some depth). */
  isShallow(): Promise<boolean>;
  /** Every manifest at `revision` (`*.json` directly in `dir`), in git's tree order. */
  readSnapshot(opts: { revision: string; dir: string }): Promise<SnapshotEntry[]>;
  /** Whether `dir` is a folder at `revision` or was one at any commit of its first-parent history. */
  dirExisted(opts: { revision: string; dir: string }): Promise<boolean>;
  /** The UTF-8 contents of many blobs, keyed by oid; one request each to the long-lived `cat-file`. */
  readBlobs(oids: readonly string[]): Promise<Map<string, string>>;
  /**
   * Like readBlobs, but a blob over `maxBytes` is never read (measured by cat-file's header and
   * discarded as it streams past): its entry has `text: null` and its size. With `budget`, the
   * blobs read take at most that many bytes together (the first one is always read): those read
   * are a prefix of the unique oids, and the rest are `deferred`, unread (to be asked again).
   */
  readBlobsUpTo(
    oids: readonly string[],
    maxBytes: number,
    budget?: number,
  ): Promise<Map<string, SizedText>>;
  /** The UTF-8 contents of one blob. */
  readBlob(oid: string): Promise<string>;
  /** Stops every git process this repository started; safe to call twice. */
  close(): Promise<void>;
}
