import type { Logger } from 'pino';

/** What a lag tracker reads: the commits after the cursor, oldest first, or null when unknown. */
export type ReadPending = () => Promise<{ commits: string[] | null }>;

/** Where the tracker reports: `behind` NaN while unknown; `oldestSeenAt` null when none wait. */
export type LagSink = (lag: { behind: number; oldestSeenAt: number | null | undefined }) => void;

/**
 * How far the database is behind the branch, kept as the list of unapplied commits with the time
 * this process first saw each. The ref moving calls {@link moved} (git is asked what waits, unless
 * a pass answers first), each applied commit calls {@link applied} (no I/O: the list shrinks), a
 * pass that reached the head calls {@link caughtUp}. So `commits_behind` rises when a commit lands,
 * not when a pass ends, and the age of the oldest unapplied commit lets an alert fire when the
 * sync is slow.
 */
export class LagTracker {
  /** Unapplied commits, oldest first; null while unknown (never read, or the cursor off the branch). */
  #pending: { sha: string; seenAt: number }[] | null = null;
  /** The newest revision the cursor was seen moving to, for a refresh that read an older cursor. */
  #lastApplied: string | null = null;
  #refreshing: Promise<void> | null = null;
  #again = false;
  /** Ref moves seen; a pass notes the count at its start, so its answer covers the moves before. */
  #moves = 0;
  #due: NodeJS.Timeout | null = null;
  readonly #read: ReadPending;
  readonly #sink: LagSink;
  readonly #now: () => number;
  readonly #graceMs: number;
  readonly #logger: Logger | undefined;

  constructor(options: {
    read: ReadPending;
    sink: LagSink;
    now: () => number;
    /** How long a ref move waits for a pass to answer before git is asked. @default 1_000 */
    graceMs?: number;
    logger?: Logger;
  }) {
    this.#read = options.read;
    this.#sink = options.sink;
    this.#now = options.now;
    this.#graceMs = options.graceMs ?? 1_000;
    this.#logger = options.logger;
    this.#report();
  }

  /** The number of ref moves seen so far: note it when a pass starts, give it to {@link caughtUp}. */
  get moves(): number {
    return this.#moves;
  }

  /**
   * The ref moved. A pass nudged by the move usually reaches the head (and says so) within
   * `graceMs`; only when none has does the tracker ask git, so a quick pass never has three more
   * git processes beside it and a stuck or suspended one still shows the lag.
   */
  moved(): void {
    this.#moves++;
    this.#due ??= setTimeout(() => {
      this.#due = null;
      void this.refresh();
    }, this.#graceMs);
    this.#due.unref?.();
  }

  /** Cancels the pending refresh: nothing to ask when no move came after `moves`. */
  #answered(moves: number): void {
    if (moves !== this.#moves || !this.#due) return;
    clearTimeout(this.#due);
    this.#due = null;
  }

  /** Stops a pending refresh (the daemon is stopping). */
  close(): void {
    if (this.#due) clearTimeout(this.#due);
    this.#due = null;
  }

  /** Commits waiting; NaN while unknown. */
  get behind(): number {
    return this.#pending?.length ?? Number.NaN;
  }

  /** When this process first saw the oldest waiting commit; null when none waits, undefined while unknown. */
  get oldestSeenAt(): number | null | undefined {
    if (this.#pending === null) return undefined;
    return this.#pending[0]?.seenAt ?? null;
  }

  /** Takes a fresh list of unapplied commits (oldest first; null: unknown), keeping first-seen times. */
  observe(commits: readonly string[] | null): void {
    if (commits === null) {
      this.#pending = null;
    } else {
      const seen = new Map((this.#pending ?? []).map((p) => [p.sha, p.seenAt]));
      const now = this.#now();
      let pending = commits.map((sha) => ({ sha, seenAt: seen.get(sha) ?? now }));
      // The list may have been read before the cursor's latest move: drop what is applied since.
      const applied = this.#lastApplied === null ? -1 : commits.indexOf(this.#lastApplied);
      if (applied >= 0) pending = pending.slice(applied + 1);
      this.#pending = pending;
    }
    this.#report();
  }

  /** The cursor moved to `revision`: it and every commit before it are applied. No I/O. */
  applied(revision: string): void {
    this.#lastApplied = revision;
    const at = this.#pending?.findIndex((p) => p.sha === revision) ?? -1;
    if (this.#pending && at >= 0) {
      this.#pending = this.#pending.slice(at + 1);
      this.#report();
    }
  }

  /** A pass that started when {@link moves} was `moves` reached `head`: nothing waits. */
  caughtUp(head: string, moves: number): void {
    this.#answered(moves);
    this.#lastApplied = head;
    this.#pending = [];
    this.#report();
  }

  /**
   * Asks what waits now (the ref moved). One read at a time: calls during a read coalesce into one
   * more read after it. A failed read is logged and leaves the last known figures.
   */
  refresh(): Promise<void> {
    if (this.#refreshing) {
      this.#again = true;
      return this.#refreshing;
    }
    this.#refreshing = (async () => {
      do {
        this.#again = false;
        this.#answered(this.#moves);
        try {
          this.observe((await this.#read()).commits);
        } catch (err) {
          this.#logger?.debug(
            { err },
            'could not read the commits behind; keeping the last figure',
          );
        }
      } while (this.#again);
    })().finally(() => {
      this.#refreshing = null;
    });
    return this.#refreshing;
  }

  #report(): void {
    this.#sink({ behind: this.behind, oldestSeenAt: this.oldestSeenAt });
  }
}
