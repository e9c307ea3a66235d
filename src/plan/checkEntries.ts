import type { FileChange } from '../git/types.js';
import { slugFromPath } from '../manifest/index.js';
import type { Bump } from '../versioning/types.js';
import type { PlanDecision, Refusal, SyncPlan } from './types.js';

/** How a connector's manifest file differs between the two revisions. */
export type FileChangeKind = 'added' | 'changed' | 'deleted' | 'renamed';

/** One connector whose manifest differs, and what syncing that change would do to it. */
export interface CheckEntry {
  /** The revision planned: the head when squashed, each commit with `--per-commit`. */
  revision: string;
  slug: string;
  /** The file at the revision (its old path when deleted). */
  file: string;
  change: FileChangeKind;
  /** For `renamed`: the path it had before (that slug is listed as `deleted`). */
  renamedFrom: string | null;
  /** What sync would do: the planner's own decision. */
  action: PlanDecision['action'];
  /** The version before and the one the change would get (null when none). */
  from: string | null;
  to: string | null;
  bump: Bump;
  /** The rule table's reasons, then the numbering decision's. */
  reasons: string[];
  /** This file's refusals, each with its JSON pointer, line and column. */
  refusals: Refusal[];
}

interface Touch {
  change: FileChangeKind;
  file: string;
  renamedFrom: string | null;
}

/** What each slug's file went through, from git's raw changes (a rename is a new slug and a deleted one). */
function touchesBySlug(changes: readonly FileChange[]): Map<string, Touch> {
  const touches = new Map<string, Touch>();
  for (const c of changes) {
    if (c.oldPath && c.newPath !== c.oldPath) {
      const slug = slugFromPath(c.oldPath);
      if (!touches.has(slug))
        touches.set(slug, { change: 'deleted', file: c.oldPath, renamedFrom: null });
    }
  }
  for (const c of changes) {
    if (!c.newPath) continue;
    const change: FileChangeKind =
      c.status === 'added' ? 'added' : c.status === 'renamed' ? 'renamed' : 'changed';
    // A file deleted and another renamed onto its slug in one change: the file is still there.
    const before = touches.get(slugFromPath(c.newPath));
    touches.set(slugFromPath(c.newPath), {
      change: before?.change === 'deleted' && change !== 'renamed' ? 'changed' : change,
      file: c.newPath,
      renamedFrom: c.status === 'renamed' ? c.oldPath : null,
    });
  }
  return touches;
}

/**
 * One entry per connector a revision's changes touched, joining git's view (added, changed,
 * deleted, renamed) with the planner's (action, versions, bump, reasons, refusals). Pure.
 */
export function computeCheckEntries(
  plan: Pick<SyncPlan, 'revision' | 'decisions' | 'refusals'>,
  changes: readonly FileChange[],
): CheckEntry[] {
  const decisions = new Map(plan.decisions.map((d) => [d.slug, d]));
  const entries: CheckEntry[] = [];
  for (const [slug, touch] of touchesBySlug(changes)) {
    const decision = decisions.get(slug);
    const refusals = plan.refusals.filter((r) => r.file === touch.file);
    entries.push({
      revision: plan.revision,
      slug,
      file: touch.file,
      change: touch.change,
      renamedFrom: touch.renamedFrom,
      action: decision?.action ?? 'unchanged',
      from: decision?.from ?? null,
      to: decision?.to ?? null,
      bump: decision?.bump ?? 'none',
      reasons: decision?.reasons ?? [
        `${touch.file} was deleted; nothing to deprecate (no valid manifest before, or deprecated already)`,
      ],
      refusals,
    });
  }
  return entries.sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0));
}
