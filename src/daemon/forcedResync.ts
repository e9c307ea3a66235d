import type { SyncReport } from '../sync/types.js';

/** What asked for a forced resync: counted per trigger in metrics and remembered in the database. */
export type ResyncTrigger = 'signal' | 'admin-api';

/** A forced resync waiting for the next safe point (the start of a pass). */
interface Pending {
  trigger: ResyncTrigger;
  /** Who asked first, and why: the audit row's actor and reason. */
  by: string;
  reason: string | null;
  waiters: { resolve: (report: SyncReport) => void; reject: (error: unknown) => void }[];
}

/**
 * Forced resyncs asked for by SIGHUP or the admin API. Requests made before the next pass starts
 * are served by one resync; each caller gets its report (or its error).
 */
export class ForcedResyncs {
  #pending: Pending | null = null;

  /** Asks for a resync; the promise settles when a pass has run it. */
  request(
    trigger: ResyncTrigger,
    asker: { by: string; reason: string | null } = { by: trigger, reason: null },
  ): Promise<SyncReport> {
    this.#pending ??= { trigger, ...asker, waiters: [] };
    const pending = this.#pending;
    return new Promise<SyncReport>((resolve, reject) => {
      pending.waiters.push({ resolve, reject });
    });
  }

  /** Takes the pending request, if any, for the pass that is starting. */
  take(): Pending | null {
    const pending = this.#pending;
    this.#pending = null;
    return pending;
  }
}
