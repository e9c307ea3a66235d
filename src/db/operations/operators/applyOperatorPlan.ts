import type { Kysely } from 'kysely';
import type { OperatorPlan } from '../../../plan/operatorTypes.js';
import type { Schema } from '../../schema.js';

/**
 * Writes an operator plan inside the caller's transaction: the pointer, the pin, the yank.
 * Decides nothing; the audit row is the caller's, in the same transaction.
 */
export async function applyOperatorPlan(
  trx: Kysely<Schema>,
  plan: OperatorPlan,
  options: { by: string; now: Date },
): Promise<void> {
  const now = options.now.toISOString();
  if (plan.yank?.yanked) {
    await trx
      .insertInto('sync_yank')
      .values({
        version_id: plan.yank.versionId,
        connector_id: plan.connectorId,
        yanked_at: now,
        yanked_by: options.by,
        reason: plan.yank.reason,
      })
      .execute();
  } else if (plan.yank) {
    await trx.deleteFrom('sync_yank').where('version_id', '=', plan.yank.versionId).execute();
  }
  if (plan.pin === 'clear') {
    await trx.deleteFrom('sync_pin').where('connector_id', '=', plan.connectorId).execute();
  } else if (plan.pin) {
    const values = {
      version_id: plan.pin.versionId,
      pinned_at: now,
      pinned_by: options.by,
      reason: plan.pin.reason,
      until: plan.pin.until ? plan.pin.until.toISOString() : null,
    };
    await trx
      .insertInto('sync_pin')
      .values({ connector_id: plan.connectorId, ...values })
      .onConflict((oc) => oc.column('connector_id').doUpdateSet(values))
      .execute();
  }
  if (plan.pointer) {
    await trx
      .updateTable('connector')
      .set({ latest_version_id: plan.pointer.versionId })
      .where('id', '=', plan.connectorId)
      .execute();
  }
}
