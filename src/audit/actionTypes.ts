import type { OperatorAudit } from '../plan/operatorTypes.js';

/** How an operator reached manifest-sync: the CLI on the database, the daemon's admin API, a signal, or manifest-sync itself (an expired pin). */
export type ActionVia = 'cli' | 'admin-api' | 'signal' | 'system';

/** One recorded operator action: who, when, what, why (the planned audit content, and its provenance). */
export interface ActionRecord extends OperatorAudit {
  id: number;
  at: Date;
  actor: string;
  via: ActionVia;
  repository: string;
  branch: string;
}

/** Who is acting, and how: recorded with every operator action. */
export interface Actor {
  name: string;
  via: ActionVia;
}
