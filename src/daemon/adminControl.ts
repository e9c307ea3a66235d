import type { Logger } from 'pino';
import { runOperatorAction, writeSuspensionAction } from '../sync/operate.js';
import { syncOnce } from '../sync/syncOnce.js';
import { resolveTarget } from '../sync/target.js';
import type { AdminControl } from './admin.js';
import type { Pass } from './pass.js';
import type { DaemonParts } from './types.js';

/** The admin endpoints' effects, over the daemon's own database and repository. */
export function createAdminControl(options: {
  parts: DaemonParts;
  pass: Pick<Pass, 'requestResync'>;
  logger: Logger;
}): AdminControl {
  const { parts, pass, logger } = options;
  const { database, config, state, clock, nudge } = parts;
  const repository = () => {
    if (!state.repository)
      throw new Error('the repository is not open yet: try again after the first pass');
    return state.repository;
  };
  const target = async () => resolveTarget(config, repository(), database.db);
  const setSuspended = async (suspended: boolean, by: string, reason: string | null) => {
    const now = clock();
    const actor = { name: by, via: 'admin-api' as const };
    await writeSuspensionAction(database.db, await target(), { suspended, actor, reason, now });
    // Visible at once (readyz, the page); every pass re-reads it from the database anyway.
    state.suspension = suspended ? { since: now, by, reason } : null;
    state.adminWrites++;
    logger.info({ by, reason }, suspended ? 'syncing suspended' : 'syncing resumed');
    nudge();
  };
  return {
    async resync({ dryRun, by, reason }) {
      if (dryRun) {
        const context = { config, repository: repository(), database, logger, clock };
        return syncOnce(context, { kind: 'resync', dryRun: true });
      }
      const report = pass.requestResync('admin-api', { by, reason });
      nudge();
      // The caller reads what the resync wrote as soon as it answers, not a second later.
      return report.finally(() => {
        state.adminWrites++;
      });
    },
    suspend: ({ by, reason }) => setSuspended(true, by, reason),
    resume: ({ by }) => setSuspended(false, by, null),
    async act(request, { by }) {
      const verdict = await runOperatorAction(database.db, await target(), request, {
        actor: { name: by, via: 'admin-api' },
        now: clock(),
      });
      if (verdict.ok) {
        state.adminWrites++;
        logger.info({ by, ...verdict.plan.audit }, 'operator action');
      }
      return verdict;
    },
  };
}
