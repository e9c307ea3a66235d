import { advanceState } from '../../src/plan/advanceState.js';
import { planRevision } from '../../src/plan/planRevision.js';
import type { ConnectorState, ManifestFile, PlanCommit, SyncPlan } from '../../src/plan/types.js';
import type { VersionPolicy } from '../../src/versioning/types.js';
import { buildManifest, manifestText } from './manifestBuilder.js';

/** A commit with a fixed clock: plans made from it are comparable. */
export function buildCommit(sha = 'c'.repeat(40)): PlanCommit {
  return {
    sha,
    authorName: 'A',
    authorEmail: 'a@example.com',
    authoredAt: new Date(0),
    committedAt: new Date(0),
    message: 'm',
  };
}

/**
 * A manifest file at `manifests/<slug>.json`: the example manifest with `slug` set and `overrides`
 * applied, raw text when `manifest` is a string, or a deletion when it is null.
 */
export function buildFile(
  slug: string,
  manifest: Record<string, unknown> | string | null = {},
): ManifestFile {
  const text =
    manifest === null
      ? null
      : typeof manifest === 'string'
        ? manifest
        : manifestText(buildManifest({ slug, ...manifest }));
  return { path: `manifests/${slug}.json`, slug, oid: text === null ? null : `blob-${slug}`, text };
}

/** Ids `id-1`, `id-2`, … from a counter of its own: the same calls give the same ids. */
export function counterIds(prefix = 'id'): () => string {
  let n = 0;
  return () => `${prefix}-${++n}`;
}

/** What the database holds for one connector; `overrides` replace fields. */
export function buildState(slug: string, overrides: Partial<ConnectorState> = {}): ConnectorState {
  return {
    id: `c-${slug}`,
    slug,
    name: 'Gmail',
    status: 'beta',
    isPlatform: true,
    latest: null,
    versions: [],
    ...overrides,
  };
}

/** A state map keyed by slug. */
export function stateOf(...states: ConnectorState[]): Map<string, ConnectorState> {
  return new Map(states.map((s) => [s.slug, s]));
}

/** Plans one revision of `files` over `state`, with deterministic ids and clock. */
export function planFiles(
  files: ManifestFile[],
  state: ReadonlyMap<string, ConnectorState> = new Map(),
  options: { policy?: VersionPolicy; newId?: () => string; sha?: string } = {},
): SyncPlan {
  return planRevision({
    commit: buildCommit(options.sha),
    files,
    state,
    policy: options.policy ?? 'auto',
    newId: options.newId ?? counterIds(),
  });
}

/**
 * Plans revision after revision as a replay does, carrying the state with `advanceState`; returns
 * every plan and the state they leave. One id counter for the whole run, so ids never repeat.
 */
export function replayRevisions(
  revisions: ManifestFile[][],
  options: { policy?: VersionPolicy; state?: ReadonlyMap<string, ConnectorState> } = {},
): { plans: SyncPlan[]; state: Map<string, ConnectorState> } {
  const newId = counterIds();
  let state = new Map(options.state ?? []);
  const plans: SyncPlan[] = [];
  revisions.forEach((files, i) => {
    const plan = planFiles(files, state, {
      newId,
      sha: i.toString(16).padStart(40, '0'),
      ...(options.policy ? { policy: options.policy } : {}),
    });
    plans.push(plan);
    state = advanceState(state, plan);
  });
  return { plans, state };
}
