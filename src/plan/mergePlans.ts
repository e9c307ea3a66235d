import type { PlanCommit, PlannedVersion, Refusal, SyncPlan } from './types.js';

/** A refusal to store, with the commit that made it and the later one (if any) that closed it. */
export interface RefusalRow extends Refusal {
  commitSha: string;
  resolvedBy: string | null;
}

/**
 * What a run of plans writes, each kind of row in one list: a handful of multi-row statements
 * write a whole batch of commits, and the rows end as if each plan had been written in turn.
 */
export interface PlanWrite {
  /** The commits that made a version (their provenance rows), once each. */
  commits: PlanCommit[];
  newConnectors: SyncPlan['newConnectors'];
  /** Every new version, with the commit that made it. */
  newVersions: (PlannedVersion & { commitSha: string })[];
  /** Where each connector's latest pointer ends: the last move of the run. */
  pointerMoves: { connectorId: string; versionId: string }[];
  /** Each connector's name and status at the end of the run. */
  connectorUpdates: { connectorId: string; name: string; status: string }[];
  /** Refusals open before the run that a plan closes: each file with the first plan closing it. */
  resolutions: { file: string; sha: string }[];
  /** New refusals, closed already when a later plan of the run closes their file. */
  refusals: RefusalRow[];
}

/** Merges plans, in the order they apply, into the rows they write together. Pure. */
export function mergePlans(plans: readonly SyncPlan[]): PlanWrite {
  const commits = new Map<string, PlanCommit>();
  const pointers = new Map<string, string>();
  const updates = new Map<string, { connectorId: string; name: string; status: string }>();
  const resolutions = new Map<string, string>();
  const write: PlanWrite = {
    commits: [],
    newConnectors: [],
    newVersions: [],
    pointerMoves: [],
    connectorUpdates: [],
    resolutions: [],
    refusals: [],
  };
  // Refusals of this run not closed yet, by file: a later plan that closes the file closes them.
  const open = new Map<string, RefusalRow[]>();
  for (const plan of plans) {
    const sha = plan.commit.sha;
    if (plan.newVersions.length > 0 && !commits.has(sha)) commits.set(sha, plan.commit);
    write.newConnectors.push(...plan.newConnectors);
    for (const version of plan.newVersions) write.newVersions.push({ ...version, commitSha: sha });
    for (const move of plan.pointerMoves) pointers.set(move.connectorId, move.versionId);
    for (const { connectorId, name, status } of plan.connectorUpdates)
      updates.set(connectorId, { connectorId, name, status });
    for (const file of plan.resolvedFiles) {
      for (const row of open.get(file) ?? []) row.resolvedBy = sha;
      open.delete(file);
      if (!resolutions.has(file)) resolutions.set(file, sha);
    }
    for (const refusal of plan.refusals) {
      const row: RefusalRow = { ...refusal, commitSha: sha, resolvedBy: null };
      write.refusals.push(row);
      open.set(refusal.file, [...(open.get(refusal.file) ?? []), row]);
    }
  }
  write.commits = [...commits.values()];
  write.pointerMoves = [...pointers].map(([connectorId, versionId]) => ({
    connectorId,
    versionId,
  }));
  write.connectorUpdates = [...updates.values()];
  write.resolutions = [...resolutions].map(([file, sha]) => ({ file, sha }));
  return write;
}
