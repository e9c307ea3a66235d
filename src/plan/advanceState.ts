import type { ConnectorState, SyncPlan } from './types.js';

/**
 * The state a plan leaves behind: what the database would read after applying it. Lets a dry run
 * plan commit after commit without writing. Pure; returns a new map.
 */
export function advanceState(
  state: ReadonlyMap<string, ConnectorState>,
  plan: SyncPlan,
): Map<string, ConnectorState> {
  const next = new Map(state);
  advanceInPlace(next, plan);
  return next;
}

/**
 * `advanceState` into a map the caller owns: only the connectors the plan touches are set, not
 * the whole map copied per plan (a replay's planner carries thousands across hundreds of commits).
 */
export function advanceInPlace(state: Map<string, ConnectorState>, plan: SyncPlan): void {
  for (const [slug, after] of statesAfter(state, plan)) state.set(slug, after);
}

/** The state of each connector a plan touches, after it; the others are as they were. Pure. */
export function statesAfter(
  state: ReadonlyMap<string, ConnectorState>,
  plan: SyncPlan,
): Map<string, ConnectorState> {
  const touched = new Map<string, ConnectorState>();
  for (const c of plan.newConnectors) {
    touched.set(c.slug, {
      id: c.id,
      slug: c.slug,
      name: c.name,
      status: c.status,
      isPlatform: true,
      latest: null,
      versions: [],
    });
  }
  // Each touched connector is copied once (its versions too), then changed in place.
  const bySlug = (slug: string) => {
    const own = touched.get(slug);
    if (own) return own;
    const current = state.get(slug);
    if (!current) return undefined;
    const copy = { ...current, versions: [...current.versions] };
    touched.set(slug, copy);
    return copy;
  };
  for (const u of plan.connectorUpdates) {
    const s = bySlug(u.slug);
    if (s) Object.assign(s, { name: u.name, status: u.status });
  }
  for (const v of plan.newVersions) {
    const s = bySlug(v.slug);
    s?.versions.push({ id: v.id, version: v.version, hash: v.hash });
    // A held connector's next commit is compared with this version, as the database read would.
    if (s?.head !== undefined)
      s.head = {
        id: v.id,
        version: v.version,
        hash: v.hash,
        manifest: v.manifest,
        blobOid: v.blobOid,
        wheelUrl: v.wheelUrl,
      };
  }
  const createdById = new Map(plan.newVersions.map((v) => [v.id, v]));
  for (const move of plan.pointerMoves) {
    const s = bySlug(move.slug);
    if (!s) continue;
    const created = createdById.get(move.versionId);
    const existing = s.versions.find((v) => v.id === move.versionId);
    if (created)
      s.latest = {
        id: created.id,
        version: created.version,
        hash: created.hash,
        manifest: created.manifest,
        blobOid: created.blobOid,
        wheelUrl: created.wheelUrl,
      };
    // A repoint only lands on a version manifest-sync made, whose manifest declares its wheel.
    else if (existing)
      s.latest = { ...existing, manifest: move.manifest, blobOid: null, wheelUrl: null };
  }
  return touched;
}
