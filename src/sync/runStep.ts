import type { Kysely } from 'kysely';
import { type CursorLocked, withCursorLock } from '../db/operations/cursor/withCursorLock.js';
import { applyPlans } from '../db/operations/plan/applyPlan.js';
import { copyAllowed } from '../db/operations/plan/multiRow.js';
import type { Schema } from '../db/schema.js';
import type { SyncPlan } from '../plan/types.js';
import { clockOf, newIdOf } from './defaults.js';
import type { SyncContext, SyncTarget } from './types.js';

/**
 * Rows planned and not yet written at most, within a step, and bytes of their manifests' texts:
 * what bounds its memory. Typical manifests (a few KB) reach the rows first; manifests near the
 * 1 MiB limit reach the bytes after 16.
 */
const FLUSH_ROWS = 1000;
const FLUSH_BYTES = 16 * 1024 * 1024;

/**
 * Hands a plan over. A real run writes it in the step's transaction, with the plans before it,
 * once they hold enough rows: in the background, while the caller plans on (PostgreSQL works on
 * its own core meanwhile). `onWritten` is called once the plan is written, i.e. once a read on the
 * transaction would see it; a plan handed over earlier is always written earlier. A dry run keeps
 * the plan to itself and never calls `onWritten`. What the caller reads meanwhile must not depend
 * on a plan not written yet (`CommitPlanner` carries those connectors' state until it is).
 */
export type WritePlan = (
  plan: SyncPlan,
  options?: {
    onWritten?: () => void;
    /**
     * The bytes of manifests the plan holds in memory until it is written (its new texts, or the
     * stored manifests its connectors' state carries): its weight.
     */
    bytes?: number;
  },
) => Promise<void>;

/** One unit of a run, written in one transaction: a batch of commits, or a snapshot. */
export interface Step<T> {
  /** Where the cursor is once the step is written. */
  revision: string;
  /** Reads state through `db`, plans, and hands each plan to `write`: the same in a dry run. */
  plan: (db: Kysely<Schema>, write: WritePlan) => Promise<T>;
  /** More writes of a real run in the same transaction, after the plans (audit, reachability). */
  finish?: (trx: Kysely<Schema>, value: T) => Promise<void>;
}

/**
 * The one plan path of every sync, resync and dry run: the step plans from git and the database's
 * state; a dry run stops there, a real run does it all under the cursor's lock (checked against
 * `expected`, refused while suspended) and moves the cursor to the step's revision. A cursor
 * another process moved comes back as data: nothing was written.
 */
export async function runStep<T>(
  context: SyncContext,
  target: SyncTarget,
  step: Step<T>,
  options: { dryRun: boolean; expected: string | null; durable: boolean },
): Promise<CursorLocked<T>> {
  const db = context.database.db;
  if (options.dryRun) return { ok: true, value: await step.plan(db, async () => {}) };
  const clock = clockOf(context);
  const newId = newIdOf(context);
  const lock = {
    ...target,
    expected: options.expected,
    suspendable: true,
    durable: options.durable,
    moveTo: { revision: step.revision, now: clock() },
  };
  return withCursorLock(db, lock, async (trx) => {
    // Whether the platform's tables take COPY (see copyAllowed), under the step's own lock.
    const copy = await copyAllowed(trx);
    // Plans are written together, a few statements for many commits, once they hold enough rows;
    // one write runs at a time, so memory holds at most the rows of two.
    let pending: SyncPlan[] = [];
    let callbacks: (() => void)[] = [];
    let rows = 0;
    let bytes = 0;
    let writing: Promise<void> = Promise.resolve();
    const flush = async () => {
      if (pending.length === 0) return;
      const plans = pending;
      const written = callbacks;
      pending = [];
      callbacks = [];
      rows = 0;
      bytes = 0;
      await writing; // the previous write's error, if any, stops the step here
      writing = applyPlans(trx, plans, { ...target, now: clock(), newId, copy }).then(() => {
        for (const callback of written) callback();
      });
      writing.catch(() => {}); // awaited by the next flush or at the end of the step
    };
    try {
      const value = await step.plan(trx, async (plan, options = {}) => {
        pending.push(plan);
        if (options.onWritten) callbacks.push(options.onWritten);
        rows += plan.decisions.length + plan.newVersions.length;
        bytes += options.bytes ?? 0;
        if (rows >= FLUSH_ROWS || bytes >= FLUSH_BYTES) await flush();
      });
      await flush();
      await writing;
      await step.finish?.(trx, value);
      return value;
    } catch (error) {
      // No statement of this step may still be running when the transaction rolls back. A write
      // that failed is the cause: a read after it only says the transaction is aborted (25P02).
      const failed = await writing.then(
        () => undefined,
        (cause: unknown) => cause,
      );
      throw failed ?? error;
    }
  });
}
