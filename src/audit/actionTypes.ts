import type { OperatorActionName } from '../plan/operatorTypes.js';

/** How an operator reached manifest-sync: the CLI on the database, the daemon's admin API, a signal, or manifest-sync itself (an expired pin). */
export type ActionVia = 'cli' | 'admin-api' | 'signal' | 'system';

/** One recorded operator action: who, when, what, why. */
export interface ActionRecord {
  id: number;
  at: Date;
  actor: string;
  via: ActionVia;
  action: OperatorActionName;
  repository: string;
  branch: string;
  /** The connector, for version actions; null for suspend, resume and resync. */
  slug: string | null;
  /** The version acted on (yanked, unyanked, pinned, rolled back to). */
  version: string | null;
  /** The latest pointer before and after. */
  fromVersion: string | null;
  toVersion: string | null;
  /** When a pin stops holding; null: until unpinned. */
  until: Date | null;
  reason: string | null;
  detail: string | null;
}

/** Who is acting, and how: recorded with every operator action. */
export interface Actor {
  name: string;
  via: ActionVia;
}
