import semver from 'semver';
import type { ConnectorState, PlanDecision, SyncPlan, VersionState } from './types.js';

/** Whether an operator's pin holds at `now` (no `until`, or `until` still ahead; every pin without `now`). */
export function pinHolds(
  pin: { until: Date | null } | null | undefined,
  now: Date | undefined,
): boolean {
  if (!pin) return false;
  return pin.until === null || now === undefined || pin.until.getTime() > now.getTime();
}

/** Whether an operator's pin or yank may keep a connector's pointer off its newest version. */
export function isHeld(state: Pick<ConnectorState, 'pin' | 'versions'>): boolean {
  return Boolean(state.pin) || state.versions.some((v) => v.yanked);
}

/**
 * The newest of some versions: the highest semver (rows made by hand with other numbers come
 * last, in the order given). Null when there are none.
 */
export function newestVersion<V extends Pick<VersionState, 'version'>>(
  versions: readonly V[],
): V | null {
  let best: V | null = null;
  for (const v of versions) {
    if (!semver.valid(v.version)) {
      best ??= v;
      continue;
    }
    if (!best || !semver.valid(best.version) || semver.gt(v.version, best.version)) best = v;
  }
  return best;
}

/** The newest version an operator has not yanked: where the pointer rests when nothing holds it. */
export function newestUnyanked<V extends Pick<VersionState, 'version' | 'yanked'>>(
  versions: readonly V[],
): V | null {
  return newestVersion(versions.filter((v) => !v.yanked));
}

/**
 * What the planner compares a commit with: for a held connector, the newest version the branch
 * produced (its `head`), not the version a pin or a yank keeps the pointer on. Otherwise the state
 * as it is. Pure; returns a new map only when something differs.
 */
export function branchView(
  state: ReadonlyMap<string, ConnectorState>,
): ReadonlyMap<string, ConnectorState> {
  let view: Map<string, ConnectorState> | null = null;
  for (const [slug, s] of state) {
    if (!s.head || s.head.id === s.latest?.id || !isHeld(s)) continue;
    view ??= new Map(state);
    view.set(slug, { ...s, latest: s.head });
  }
  return view ?? state;
}

function explain(plan: SyncPlan, slug: string, reason: string): void {
  plan.decisions = plan.decisions.map((d: PlanDecision) =>
    d.slug === slug ? { ...d, reasons: [...d.reasons, reason] } : d,
  );
}

/**
 * Removes the pointer moves an operator forbids: none while a pin holds (the new version is
 * still written), none onto a yanked version. Each removal is said in the connector's decision.
 * Pure; `state` is the database's state the plan was made from (the pointer as it really is).
 */
export function holdPointers(
  plan: SyncPlan,
  state: ReadonlyMap<string, ConnectorState>,
  now: Date | undefined,
): SyncPlan {
  const touchesHeld = plan.pointerMoves.some((m) => {
    const s = state.get(m.slug);
    return s !== undefined && isHeld(s);
  });
  if (!touchesHeld) return plan;
  const held: SyncPlan = { ...plan, pointerMoves: [] };
  for (const move of plan.pointerMoves) {
    const s = state.get(move.slug);
    const pinned = pinHolds(s?.pin, now);
    const yanked = s?.versions.find((v) => v.id === move.versionId)?.yanked === true;
    if (!s || (!pinned && !yanked)) {
      held.pointerMoves.push(move);
      continue;
    }
    const on = s.latest?.version ?? 'nothing';
    const until = s.pin?.until ? ` until ${s.pin.until.toISOString()}` : '';
    explain(
      held,
      move.slug,
      pinned
        ? `an operator pinned the latest pointer on ${on}${until}: it stays there`
        : `that version is yanked: the latest pointer stays on ${on}`,
    );
  }
  return held;
}
