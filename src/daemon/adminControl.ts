import type { Config } from '../config.js';
import type { Database } from '../db/connection.js';
import { runOperatorAction, writeSuspensionAction } from '../sync/operate.js';
import { syncOnce } from '../sync/syncOnce.js';
import { resolveTarget } from '../sync/target.js';
import type { AdminControl } from './admin.js';
import type { createPass } from './pass.js';

/** The admin endpoints' effects, over the daemon's own database and repository. */
export function createAdminControl(parts: {
  config: Config;
  database: Database;
  worker: ReturnType<typeof createPass>;
  nudge: () => void;
  logger: import('pino').Logger;
}): AdminControl {
  const { database, worker, nudge, logger } = parts;
  const repository = () => {
    if (!worker.state.repository)
      throw new Error('the repository is not open yet: try again after the first pass');
    return worker.state.repository;
  };
  const target = async () => resolveTarget(worker.effectiveConfig, repository(), database.db);
  const setSuspended = async (suspended: boolean, by: string, reason: string | null) => {
    const now = new Date();
    const actor = { name: by, via: 'admin-api' as const };
    await writeSuspensionAction(database.db, await target(), { suspended, actor, reason, now });
    // Visible at once (readyz); every pass re-reads it from the database anyway.
    worker.state.suspension = suspended ? { since: now, by, reason } : null;
    logger.info({ by, reason }, suspended ? 'syncing suspended' : 'syncing resumed');
    nudge();
  };
  return {
    async resync({ dryRun, by, reason }) {
      if (dryRun) {
        const context = {
          config: worker.effectiveConfig,
          repository: repository(),
          database,
          logger,
        };
        return syncOnce(context, { kind: 'resync', dryRun: true });
      }
      const report = worker.requestResync('admin-api', { by, reason });
      nudge();
      return report;
    },
    suspend: ({ by, reason }) => setSuspended(true, by, reason),
    resume: ({ by }) => setSuspended(false, by, null),
    async act(request, { by }) {
      const verdict = await runOperatorAction(database.db, await target(), request, {
        actor: { name: by, via: 'admin-api' },
        now: new Date(),
      });
      if (verdict.ok) logger.info({ by, ...verdict.plan.audit }, 'operator action');
      return verdict;
    },
  };
}
