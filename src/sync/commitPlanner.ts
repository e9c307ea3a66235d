import type { Kysely } from 'kysely';
import type { Schema } from '../db/schema.js';
import { advanceState } from '../plan/advanceState.js';
import { planRevision } from '../plan/planRevision.js';
import type { ConnectorState, ManifestFile, PlanCommit, SyncPlan } from '../plan/types.js';
import type { VersionPolicy } from '../versioning/types.js';

/** Reads the planner's state for some slugs through `db` (the transaction, in a real run). */
export type ReadStates = (
  db: Kysely<Schema>,
  slugs: string[],
) => Promise<Map<string, ConnectorState>>;

/**
 * Plans commit after commit as the database would see them, the same way in a dry run and a real
 * one: each slug's state is read once, then carried forward in memory by what each plan leaves
 * behind (`advanceState`). A real run calls `forget()` once its plans are written (the database
 * then holds that state), so memory stays bounded by what is not written yet; a dry run writes
 * nothing and carries everything to the end.
 */
export class CommitPlanner {
  #carried = new Map<string, ConnectorState>();
  /** Slugs read and found in no connector (until a plan creates one: then it is carried). */
  #absent = new Set<string>();

  constructor(
    private readonly readStates: ReadStates,
    private readonly options: { policy: VersionPolicy; newId: () => string; clock: () => Date },
  ) {}

  /** Plans one commit's files (or a slice of them) against the carried state and `db`. */
  async plan(db: Kysely<Schema>, commit: PlanCommit, files: ManifestFile[]): Promise<SyncPlan> {
    await this.read(
      db,
      files.map((file) => file.slug),
    );
    const plan = planRevision({
      commit,
      files,
      state: this.#carried,
      policy: this.options.policy,
      newId: this.options.newId,
      now: this.options.clock(),
    });
    this.#carried = advanceState(this.#carried, plan);
    return plan;
  }

  /**
   * Reads the state of the slugs not carried yet, in one go: called with a whole batch's slugs
   * before its commits are planned, it saves a read per commit.
   */
  async read(db: Kysely<Schema>, slugs: readonly string[]): Promise<void> {
    const unread = [...new Set(slugs)].filter(
      (slug) => !this.#carried.has(slug) && !this.#absent.has(slug),
    );
    if (unread.length === 0) return;
    const states = await this.readStates(db, unread);
    for (const slug of unread) {
      const state = states.get(slug);
      if (state) this.#carried.set(slug, state);
      else this.#absent.add(slug);
    }
  }

  /** Drops the carried state: what was planned is written, so the database now holds it. */
  forget(): void {
    this.#carried = new Map();
    this.#absent = new Set();
  }
}
