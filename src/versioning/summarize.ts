import { overallBump } from './bump.js';
import type { Change } from './types.js';

/** The reasons of the changes that set the overall bump, in change order; [] when nothing changed. */
export function summarize(changes: readonly Change[]): string[] {
  const bump = overallBump(changes);
  if (bump === 'none') return [];
  return changes.filter((change) => change.bump === bump).map((change) => change.reason);
}

/**
 * One line saying why the overall bump is what it is, e.g. "action `x` removed: existing callers of
 * it would fail; and 2 more major changes"; meant as the `cause` of `nextVersion`.
 */
export function explainBump(changes: readonly Change[]): string {
  const reasons = summarize(changes);
  const [first] = reasons;
  if (first === undefined) return 'no content change';
  const more = reasons.length - 1;
  if (more === 0) return first;
  const bump = overallBump(changes);
  return `${first}; and ${more} more ${bump} change${more === 1 ? '' : 's'}`;
}
