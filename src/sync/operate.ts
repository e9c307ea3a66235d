import type { Kysely } from 'kysely';
import type { Actor } from '../audit/actionTypes.js';
import { writeSuspension } from '../db/operations/control/writeSuspension.js';
import type { CursorKey } from '../db/operations/cursor/lockCursor.js';
import { withCursorLock } from '../db/operations/cursor/withCursorLock.js';
import { applyOperatorPlan } from '../db/operations/operators/applyOperatorPlan.js';
import { readExpiredPins } from '../db/operations/operators/readExpiredPins.js';
import { readOperatorState } from '../db/operations/operators/readOperatorState.js';
import { storable, writeOperatorAction } from '../db/operations/operators/writeOperatorAction.js';
import type { Schema } from '../db/schema.js';
import type { OperatorRequest, OperatorVerdict } from '../plan/operatorTypes.js';
import { planOperatorAction } from '../plan/planOperatorAction.js';

/** Who acts and when. */
export interface ActionOptions {
  actor: Actor;
  now: Date;
}

/**
 * One operator action on a connector (rollback, pin, unpin, yank, unyank) in one transaction:
 * the sync's advisory lock for the repository and branch first (so an action and a commit, or two
 * actions, take turns), then the connector's state, the pure plan, the writes and the audit row.
 * A refusal writes nothing and is returned, not thrown.
 */
export async function runOperatorAction(
  db: Kysely<Schema>,
  key: CursorKey,
  request: OperatorRequest,
  given: ActionOptions,
): Promise<OperatorVerdict> {
  const actor = { ...given.actor, name: storable(given.actor.name) ?? '' };
  const options = { ...given, actor };
  const locked = await withCursorLock(db, key, async (trx) => {
    const verdict = planOperatorAction(
      request,
      await readOperatorState(trx, request.slug),
      options.now,
    );
    if (!verdict.ok) return verdict;
    await applyOperatorPlan(trx, verdict.plan, { by: options.actor.name, now: options.now });
    await writeOperatorAction(trx, { ...key, ...options, audit: verdict.plan.audit });
    return verdict;
  });
  return locked.value;
}

/** Suspends or resumes syncing and records who and why, in one transaction under the sync's lock. */
export async function writeSuspensionAction(
  db: Kysely<Schema>,
  key: CursorKey,
  options: ActionOptions & { suspended: boolean; reason: string | null },
): Promise<void> {
  await withCursorLock(db, key, async (trx) => {
    await writeSuspension(trx, {
      ...key,
      suspended: options.suspended,
      by: options.actor.name,
      reason: options.reason,
      now: options.now,
    });
    await writeOperatorAction(trx, {
      ...key,
      ...options,
      audit: {
        action: options.suspended ? 'suspend' : 'resume',
        slug: null,
        version: null,
        fromVersion: null,
        toVersion: null,
        until: null,
        reason: options.reason,
        detail: null,
      },
    });
  });
}

/**
 * Ends the pins whose `until` has passed, each as an `unpin` by manifest-sync itself: the pointer
 * goes to the newest version that is not yanked, and the audit says the pin expired. Returns the
 * slugs released.
 */
export async function releaseExpiredPins(
  db: Kysely<Schema>,
  key: CursorKey,
  now: Date,
): Promise<string[]> {
  const released: string[] = [];
  for (const pin of await readExpiredPins(db, now)) {
    const verdict = await runOperatorAction(
      db,
      key,
      {
        action: 'unpin',
        slug: pin.slug,
        reason: `the pin by ${pin.by} expired at ${pin.until.toISOString()}`,
      },
      { actor: { name: 'manifest-sync', via: 'system' }, now },
    );
    if (verdict.ok) released.push(pin.slug);
  }
  return released;
}
