import { writeForcedResync } from '../db/operations/control/writeForcedResync.js';
import type { CursorKey } from '../db/operations/cursor/lockCursor.js';
import { syncOnce } from '../sync/syncOnce.js';
import type { SyncContext, SyncReport } from '../sync/types.js';
import type { ForcedResyncs } from './forcedResync.js';

/** A forced resync taken from the queue at the start of a pass. */
export type ForcedResync = NonNullable<ReturnType<ForcedResyncs['take']>>;

/**
 * Runs a forced resync (SIGHUP or the admin API) and remembers it in the database, applied or
 * failed; each waiter gets the report or the error. Safe on any replica: the resync's transaction
 * takes the same advisory lock as every commit.
 */
export async function runForcedResync(
  context: SyncContext & { clock: () => Date },
  key: CursorKey,
  forced: ForcedResync,
): Promise<SyncReport> {
  const remember = (outcome: 'applied' | 'failed', detail: string) =>
    writeForcedResync(context.database.db, {
      ...key,
      trigger: forced.trigger,
      outcome,
      detail,
      now: context.clock(),
    });
  try {
    const via = forced.trigger === 'signal' ? ('signal' as const) : ('admin-api' as const);
    const report = await syncOnce(context, {
      kind: 'resync',
      audit: { actor: { name: forced.by, via }, reason: forced.reason },
    });
    await remember(
      'applied',
      `${report.versionsCreated} version(s), ${report.decisions.length} change(s), ${report.refusals.length} refused`,
    );
    for (const waiter of forced.waiters) waiter.resolve(report);
    return report;
  } catch (error) {
    await remember('failed', String((error as Error).message ?? error)).catch(() => {});
    for (const waiter of forced.waiters) waiter.reject(error);
    throw error;
  }
}
