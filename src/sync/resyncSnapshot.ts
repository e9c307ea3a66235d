import type { Kysely } from 'kysely';
import type { Actor } from '../audit/actionTypes.js';
import { writeReachability } from '../db/operations/commits/writeReachability.js';
import { readConnectorStates } from '../db/operations/connectors/readConnectorStates.js';
import { readManagedSlugs, readStoredBlobs } from '../db/operations/connectors/readStoredBlobs.js';
import type { CursorLocked } from '../db/operations/cursor/withCursorLock.js';
import { writeOperatorAction } from '../db/operations/operators/writeOperatorAction.js';
import { readOpenRefusals } from '../db/operations/refusals/readOpenRefusals.js';
import type { Schema } from '../db/schema.js';
import type { SnapshotEntry } from '../git/index.js';
import { slugFromPath } from '../manifest/index.js';
import { missingFiles } from '../plan/planRevision.js';
import type { PlanCommit, RevisionReport, SyncPlan } from '../plan/types.js';
import { CommitPlanner } from './commitPlanner.js';
import { clockOf, newIdOf } from './defaults.js';
import { CARRY_LIMITS, planSlices, type Slices, sliceReads } from './planSlices.js';
import { runStep, type WritePlan } from './runStep.js';
import type { SyncContext, SyncTarget } from './types.js';

/** Options for {@link resyncSnapshot}. */
export interface ResyncOptions {
  dryRun: boolean;
  /** The cursor is off the branch (force push): also mark commits no longer reachable. */
  rewritten: boolean;
  /** The cursor read before the run: if another process moves it meanwhile, start again. */
  expected: string | null;
  /** An operator forced this resync: their audit row is written in its transaction. */
  audit?: ResyncAudit;
}

/** Who forced a resync, and why. */
export interface ResyncAudit {
  actor: Actor;
  reason: string | null;
}

/** What git says about the head, read before any transaction opens. */
interface HeadRead {
  commit: PlanCommit;
  entries: SnapshotEntry[];
  /** The slugs of `entries`. */
  present: Set<string>;
  /** The paths of the manifests read (those that may differ from the database). */
  read: Set<string>;
  /** Those manifests, cut into slices, the first one being read from git already. */
  slices: Slices;
  reachable: Set<string> | null;
}

/** A resync's plans in brief: what they decided, and how many versions they made. */
export type ResyncReport = RevisionReport & { versions: number };

/**
 * Reads the head's snapshot from git. A blob that is already the latest version's needs no
 * reading (content equal by construction); the unlocked state read only picks which to read. The
 * manifests to read are read a slice at a time as they are planned (see `planSlices`), never all
 * at once: a resync against an empty database reads the whole registry.
 */
async function readHead(
  context: SyncContext,
  target: SyncTarget,
  rewritten: boolean,
): Promise<HeadRead> {
  const { repository, database } = context;
  const [entries, stored] = await Promise.all([
    repository.readSnapshot({ revision: target.head, dir: target.path }),
    readStoredBlobs(database.db),
  ]);
  const slugs = entries.map((entry) => slugFromPath(entry.path));
  const candidates = entries.flatMap((entry, at) => {
    const slug = slugs[at] as string;
    const known = stored.get(slug);
    const differs = !known || known.blobOid !== entry.oid || known.status === 'deprecated';
    return differs ? [{ path: entry.path, slug, oid: entry.oid, text: null }] : [];
  });
  const commit = await repository.readCommit(target.head);
  const reachable = rewritten ? await repository.listRevisions(target.head) : null;
  return {
    commit,
    entries,
    present: new Set(slugs),
    read: new Set(candidates.map((file) => file.path)),
    slices: sliceReads(repository, [{ commit, entries: candidates }]),
    reachable,
  };
}

/**
 * Plans the head against the database's state, read through `db` (the transaction, when
 * applying), a slice at a time, and hands each plan to `write`. Only connectors this repository
 * manages are deprecated when their file is missing: not a connector made by hand, nor one
 * another repository, branch or directory syncs. Only those and the files read are planned: an
 * unchanged file's connector has nothing to plan.
 */
async function planHead(
  db: Kysely<Schema>,
  context: SyncContext,
  target: SyncTarget,
  head: HeadRead,
  write: WritePlan,
): Promise<ResyncReport> {
  const { repository } = context;
  const planner = new CommitPlanner(readConnectorStates, {
    policy: context.config.versionPolicy,
    newId: newIdOf(context),
    clock: clockOf(context),
    ...CARRY_LIMITS,
  });
  const report: ResyncReport = {
    revision: head.commit.sha,
    refusals: [],
    decisions: [],
    versions: 0,
  };
  const onPlan = (plan: SyncPlan) => {
    report.refusals.push(...plan.refusals);
    report.decisions.push(...plan.decisions);
    report.versions += plan.newVersions.length;
  };
  const deps = { repository, planner, write };
  await planSlices(db, deps, head.slices, onPlan);
  const missing = await readManagedSlugs(db, {
    repository: target.repository,
    except: head.present,
  });
  const gone = [{ commit: head.commit, entries: missingFiles(missing, target.path) }];
  await planSlices(db, deps, sliceReads(repository, gone), onPlan);
  // Files skipped as unchanged are the stored versions' own blobs: valid, so their refusals are
  // over. Only files with an open refusal are named (usually none of 10,000).
  const refused = new Set((await readOpenRefusals(db, target)).map((refusal) => refusal.file));
  const resolved = head.entries
    .map((entry) => entry.path)
    .filter((path) => refused.has(path) && !head.read.has(path));
  if (resolved.length > 0) {
    const { plan } = await planner.plan(db, head.commit, []);
    plan.resolvedFiles.push(...resolved);
    await write(plan);
  }
  return report;
}

/**
 * Reconciles the head's snapshot against the database regardless of the cursor: new versions
 * where content differs, a drifted pointer moved back onto the newest version when that has the
 * content, managed connectors whose file is gone deprecated; then the cursor is the head. Git is
 * read first; the step (see `runStep`) only reads state, plans and writes. Idempotent: an
 * unchanged head reads no blob and writes nothing but the cursor. A cursor another process moved
 * meanwhile comes back as `ok: false`, with nothing written.
 */
export async function resyncSnapshot(
  context: SyncContext,
  target: SyncTarget,
  options: ResyncOptions,
): Promise<CursorLocked<ResyncReport>> {
  const head = await readHead(context, target, options.rewritten);
  const { audit } = options;
  return runStep(
    context,
    target,
    {
      revision: target.head,
      plan: (db, write) => planHead(db, context, target, head, write),
      finish: async (trx, plan) => {
        if (head.reachable)
          await writeReachability(trx, {
            repository: target.repository,
            reachable: head.reachable,
          });
        if (audit)
          await writeOperatorAction(trx, resyncAction(target, plan, audit, clockOf(context)()));
      },
    },
    { dryRun: options.dryRun, expected: options.expected, durable: true },
  );
}

/** The audit row of a forced resync: who, why, and what it changed. */
function resyncAction(target: SyncTarget, report: ResyncReport, audit: ResyncAudit, now: Date) {
  const changed = report.decisions.filter((d) => d.action !== 'unchanged').length;
  return {
    repository: target.repository,
    branch: target.branch,
    actor: audit.actor,
    now,
    audit: {
      action: 'resync' as const,
      slug: null,
      version: null,
      fromVersion: null,
      toVersion: null,
      until: null,
      reason: audit.reason,
      detail: `at ${target.head}: ${report.versions} version(s), ${changed} change(s), ${report.refusals.length} refused`,
    },
  };
}
