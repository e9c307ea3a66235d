import type { Kysely } from 'kysely';
import type {
  ReadStatesOptions,
  StatesRead,
} from '../db/operations/connectors/readConnectorStates.js';
import type { Schema } from '../db/schema.js';
import { advanceInPlace } from '../plan/advanceState.js';
import { planRevision } from '../plan/planRevision.js';
import type { ConnectorState, ManifestFile, PlanCommit, SyncPlan } from '../plan/types.js';
import type { VersionPolicy } from '../versioning/types.js';

/**
 * Reads the planner's state for some slugs through `db` (the transaction, in a real run), within
 * a budget: `readConnectorStates` itself, or a dry run's reader of an earlier state.
 */
export type ReadStates = (db: Kysely<Schema>, options: ReadStatesOptions) => Promise<StatesRead>;

/**
 * Plans commit after commit as the database would see them, the same way in a dry run and a real
 * one: each slug's state is read once, then carried forward in memory by what each plan leaves
 * behind (`advanceInPlace`). A real run reports each plan once it is written (`written`): the
 * database then holds that state, so the slugs no later plan touched are dropped at the next read,
 * and memory stays bounded by what is not written yet. A dry run writes nothing and carries
 * everything to the end.
 *
 * Plans are written in the background while later ones are planned (`runStep`), so a read may run
 * between the statements of a write. It is safe because a slug is only read when it is not
 * carried, and a slug touched by a plan not yet written is always carried.
 */
export class CommitPlanner {
  #carried = new Map<string, ConnectorState>();
  /** Slugs read and found in no connector (until a plan creates one: then it is carried). */
  #absent = new Set<string>();
  /** For each carried slug, the serial of the last plan that touched it (none yet: infinity). */
  #lastPlan = new Map<string, number>();
  /**
   * For each slug carried, the bytes of the manifest its state holds: its stored size when read
   * (uncompressed JSONB), the length of a new text it was planned from, whichever is larger; and
   * their sum. Either is about the manifest's text length.
   */
  #weights = new Map<string, number>();
  #weight = 0;
  /** The serial of the last plan made, and of the last one written. */
  #made = 0;
  #written = 0;
  /** `#written` when state was last dropped: only plans written since free anything more. */
  #droppedAt = 0;

  constructor(
    private readonly readStates: ReadStates,
    private readonly options: {
      policy: VersionPolicy;
      newId: () => string;
      clock: () => Date;
      /** How many connectors' state may be carried before the written ones are dropped. */
      keep: number;
      /**
       * How long the texts of the carried connectors' manifests may be, together, before the
       * written ones are dropped: a carried connector holds its parsed manifest, stored or new.
       */
      keepBytes: number;
    },
  ) {}

  /**
   * Plans one commit's files (or a slice of them) against the carried state and `db`. Returns
   * the plan, its serial (for `written`), and the bytes its connectors' state holds (see
   * `#weights`): carried until the plan is written, whether the files brought new texts or were
   * deleted.
   */
  async plan(
    db: Kysely<Schema>,
    commit: PlanCommit,
    files: ManifestFile[],
  ): Promise<{ plan: SyncPlan; serial: number; bytes: number }> {
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
    advanceInPlace(this.#carried, plan);
    const serial = ++this.#made;
    let bytes = 0;
    for (const file of files) {
      this.#lastPlan.set(file.slug, serial);
      // A deleted file leaves the stored manifest carried; a new text may replace it.
      const weight = Math.max(this.#weights.get(file.slug) ?? 0, file.text?.length ?? 0);
      this.#weigh(file.slug, weight);
      bytes += weight;
    }
    return { plan, serial, bytes };
  }

  /**
   * Reads the state of the slugs not carried yet, in one read: called with a whole slice's slugs
   * before its commits are planned, it saves a read per commit. When more than `keep` connectors
   * (or `keepBytes`) are carried, first drops those whose plans are all written (the database
   * holds the same). Reads only as many stored manifests as `budget` allows (see `#weights`),
   * counting what it carries for the slugs before the first it reads (a slice's head read ahead):
   * returns how many of `slugs`, in order, have their state known now (at least one, given any).
   * The caller plans only those; `plan` reads whatever is missing, unbounded.
   */
  async read(
    db: Kysely<Schema>,
    slugs: readonly string[],
    budget = Number.POSITIVE_INFINITY,
  ): Promise<number> {
    const wanted = new Set(slugs);
    // A dry run never writes, so it never walks what it carries for something to drop.
    const full = this.#carried.size > this.options.keep || this.#weight > this.options.keepBytes;
    if (full && this.#written > this.#droppedAt) this.#dropWritten(wanted);
    const unread: string[] = [];
    let spent = 0;
    for (const slug of wanted) {
      if (this.#carried.has(slug)) {
        if (unread.length === 0) spent += this.#weights.get(slug) ?? 0;
      } else if (!this.#absent.has(slug)) unread.push(slug);
    }
    if (unread.length === 0) return slugs.length;
    // What is carried before them fills the budget already (and is at least one slug).
    if (spent > 0 && spent >= budget) return slugs.indexOf(unread[0] as string);
    const { states, read, bytes } = await this.readStates(db, { slugs: unread, budget, spent });
    for (const slug of unread.slice(0, read)) {
      const state = states.get(slug);
      if (state) {
        this.#carried.set(slug, state);
        // Read to be planned (a slice read ahead, too): kept until a plan has used it.
        this.#lastPlan.set(slug, Number.POSITIVE_INFINITY);
        this.#weigh(slug, bytes.get(slug) ?? 0);
      } else this.#absent.add(slug);
    }
    const first = unread[read];
    return first === undefined ? slugs.length : slugs.indexOf(first);
  }

  /** Sets the bytes of the manifest a carried slug holds (see `#weights`). */
  #weigh(slug: string, weight: number): void {
    this.#weight += weight - (this.#weights.get(slug) ?? 0);
    this.#weights.set(slug, weight);
  }

  /**
   * Forgets everything carried: called when a new transaction starts, so state is read again
   * under its lock (an operator's pin, yank or rollback may have come in between). All plans made
   * so far are written and committed by then.
   */
  reset(): void {
    this.#carried = new Map();
    this.#absent = new Set();
    this.#lastPlan = new Map();
    this.#weights = new Map();
    this.#weight = 0;
  }

  /** The plans up to `serial` are written: the database now holds the state they leave. */
  written(serial: number): void {
    this.#written = Math.max(this.#written, serial);
  }

  /**
   * Drops the carried state no unwritten plan depends on, but for the slugs about to be planned.
   * Only at the start of a read, never while a plan is being made: its state must not vanish.
   * A dropped slug also leaves the absent set (a plan may have created it since it was read), so
   * its next read asks the database. The other absent slugs stay: no plan created them (they would
   * be carried), and those read ahead for the next plans are not read twice.
   */
  #dropWritten(wanted: ReadonlySet<string>): void {
    this.#droppedAt = this.#written;
    for (const [slug, serial] of this.#lastPlan) {
      if (serial > this.#written || wanted.has(slug)) continue;
      this.#carried.delete(slug);
      this.#lastPlan.delete(slug);
      this.#absent.delete(slug);
      this.#weight -= this.#weights.get(slug) ?? 0;
      this.#weights.delete(slug);
    }
  }
}
