import type { Kysely } from 'kysely';
import { type CursorLocked, withCursorLock } from '../db/operations/cursor/withCursorLock.js';
import { applyPlans } from '../db/operations/plan/applyPlan.js';
import type { Schema } from '../db/schema.js';
import type { SyncPlan } from '../plan/types.js';
import { clockOf, newIdOf } from './defaults.js';
import type { SyncContext, SyncTarget } from './types.js';

/** Rows planned and not yet written at most, within a step: what bounds its memory. */
const FLUSH_ROWS = 1000;

/**
 * Hands a plan over: a real run writes it in the step's transaction, with the plans before it,
 * and answers true once they are written (the database then holds them); a dry run keeps it to
 * itself and answers false.
 */
export type WritePlan = (plan: SyncPlan) => Promise<boolean>;

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
  if (options.dryRun) return { ok: true, value: await step.plan(db, async () => false) };
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
    // Plans are written together, a few statements for many commits, once they hold enough rows.
    let pending: SyncPlan[] = [];
    let rows = 0;
    const flush = async () => {
      if (pending.length > 0) await applyPlans(trx, pending, { ...target, now: clock(), newId });
      pending = [];
      rows = 0;
    };
    const value = await step.plan(trx, async (plan) => {
      pending.push(plan);
      rows += plan.decisions.length + plan.newVersions.length;
      if (rows < FLUSH_ROWS) return false;
      await flush();
      return true;
    });
    await flush();
    await step.finish?.(trx, value);
    return value;
  });
}
