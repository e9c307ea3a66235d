import type { OperatorAudit } from '../plan/operatorTypes.js';
import type { ActionRecord } from './actionTypes.js';
import { formatDate } from './text.js';

/** What an action did, in a few words: `rollback gmail 2.0.0 → 1.0.0 (pinned until …)`. */
export function describeAction(action: OperatorAudit): string {
  const subject = action.slug ?? 'syncing';
  const target = action.version && action.action.endsWith('yank') ? `@${action.version}` : '';
  const moved =
    action.fromVersion !== action.toVersion
      ? ` ${action.fromVersion ?? 'none'} → ${action.toVersion ?? 'none'}`
      : action.slug && action.toVersion
        ? ` (latest stays ${action.toVersion})`
        : '';
  const pinned =
    action.action === 'rollback' || action.action === 'pin'
      ? ` pinned on ${action.version}${action.until ? ` until ${formatDate(action.until)} UTC` : ''}`
      : '';
  const detail = action.detail ? ` [${action.detail}]` : '';
  return `${action.action} ${subject}${target}${moved}${pinned}${detail}`;
}

/** One recorded action for people: when, who (how), what, why. */
function formatAction(record: ActionRecord): string {
  const why = record.reason ? `: ${record.reason}` : '';
  return `${formatDate(record.at)} UTC  ${record.actor} (${record.via})  ${describeAction(record)}${why}`;
}

/** The audit log for people, newest first; a line saying so when there is none. */
export function formatActions(records: readonly ActionRecord[]): string[] {
  if (records.length === 0) return ['  no operator actions'];
  return records.map((record) => `  ${formatAction(record)}`);
}
