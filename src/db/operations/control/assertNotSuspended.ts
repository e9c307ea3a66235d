import type { Kysely } from 'kysely';
import { SuspendedError } from '../../../errors.js';
import type { Schema } from '../../schema.js';
import type { CursorKey } from '../cursor/lockCursor.js';
import { readControl } from './readControl.js';

/**
 * Throws SuspendedError when an operator has suspended syncing. Called under the cursor's lock
 * in every applying transaction, so a suspension stops a run between two commits.
 */
export async function assertNotSuspended(trx: Kysely<Schema>, key: CursorKey): Promise<void> {
  const control = await readControl(trx, key);
  if (!control?.suspended) return;
  const since = control.suspended_at ? ` since ${control.suspended_at.toISOString()}` : '';
  const why = control.suspend_reason ? `: ${control.suspend_reason}` : '';
  throw new SuspendedError(
    `syncing ${key.branch} is suspended${since} by ${control.suspended_by ?? 'an operator'}${why}; \`manifest-sync resume\` to go on`,
  );
}
