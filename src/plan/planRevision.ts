import { branchView, holdPointers } from './holds.js';
import { planManifest } from './planManifest.js';
import type { ConnectorState, ManifestFile, PlanInput, SyncPlan } from './types.js';

/** An empty plan for a revision, to be filled by the planners. */
function emptyPlan(input: PlanInput): SyncPlan {
  return {
    revision: input.commit.sha,
    commit: input.commit,
    newConnectors: [],
    newVersions: [],
    pointerMoves: [],
    connectorUpdates: [],
    refusals: [],
    resolvedFiles: [],
    decisions: [],
  };
}

function planDeletion(plan: SyncPlan, file: ManifestFile, state: ConnectorState | undefined): void {
  plan.resolvedFiles.push(file.path);
  if (!state?.isPlatform || state.status === 'deprecated') return;
  plan.connectorUpdates.push({
    connectorId: state.id,
    slug: state.slug,
    name: state.name,
    status: 'deprecated',
  });
  plan.decisions.push({
    slug: state.slug,
    file: file.path,
    action: 'deprecate',
    from: state.latest?.version ?? null,
    to: state.latest?.version ?? null,
    bump: 'none',
    reasons: [`${file.path} was deleted: the connector is deprecated, its versions kept`],
  });
}

function planPresent(
  plan: SyncPlan,
  input: PlanInput,
  file: ManifestFile & { text: string },
): void {
  const state = input.state.get(file.slug);
  const planned = planManifest(file, state, input.commit.sha, input.policy);
  if (planned.kind === 'refused') {
    plan.resolvedFiles.push(file.path);
    plan.refusals.push(...planned.refusals);
    plan.decisions.push(planned.decision);
    return;
  }
  plan.resolvedFiles.push(file.path);
  const { manifest } = planned;
  let connectorId = state?.id;
  if (!connectorId) {
    connectorId = input.newId();
    plan.newConnectors.push({
      id: connectorId,
      slug: file.slug,
      name: manifest.name,
      status: manifest.status,
    });
  } else if (state && (state.name !== manifest.name || state.status !== manifest.status)) {
    plan.connectorUpdates.push({
      connectorId,
      slug: file.slug,
      name: manifest.name,
      status: manifest.status,
    });
  }
  let decision = planned.decision;
  if (planned.version) {
    const versionId = input.newId();
    plan.newVersions.push({ ...planned.version, id: versionId, connectorId });
    plan.pointerMoves.push({
      connectorId,
      slug: file.slug,
      versionId,
      manifest: planned.version.manifest,
    });
  } else if (planned.repointTo) {
    plan.pointerMoves.push({
      connectorId,
      slug: file.slug,
      versionId: planned.repointTo,
      manifest,
    });
  } else if (state && state.status !== manifest.status) {
    const revived = state.status === 'deprecated';
    decision = {
      ...decision,
      action: revived ? 'revive' : 'update',
      reasons: [
        revived
          ? `${file.path} is back: the connector is ${manifest.status} again`
          : `status set to ${manifest.status} as the manifest says (was ${state.status})`,
      ],
    };
  }
  plan.decisions.push(decision);
}

/**
 * Plans one revision: every manifest it added, changed or deleted (one entry per slug, its
 * final state at the revision) against the database's state for those slugs. An operator's pin or
 * yank keeps the pointer where it is (`holds.ts`); the new versions are planned all the same. Pure.
 */
export function planRevision(input: PlanInput): SyncPlan {
  const plan = emptyPlan(input);
  // Pinned or yanked connectors are compared with the branch's newest version, not the held
  // pointer. Only the files' connectors are looked at: the state may hold thousands more.
  const own = new Map<string, ConnectorState>();
  for (const file of input.files) {
    const state = input.state.get(file.slug);
    if (state) own.set(file.slug, state);
  }
  const view = { ...input, state: branchView(own) };
  for (const file of input.files) {
    if (file.text === null) planDeletion(plan, file, input.state.get(file.slug));
    else planPresent(plan, view, { ...file, text: file.text });
  }
  return holdPointers(plan, input.state, input.now);
}

/**
 * The deletions a snapshot implies: a file without a blob for each connector the repository
 * manages whose manifest the snapshot lacks, planned by `planRevision` as a deleted file (the
 * connector is deprecated, its versions kept). Pure.
 */
export function missingFiles(slugs: readonly string[], dir: string): ManifestFile[] {
  return slugs.map((slug) => ({
    path: dir ? `${dir}/${slug}.json` : `${slug}.json`,
    slug,
    oid: null,
    text: null,
  }));
}
