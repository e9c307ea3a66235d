import type { Kysely } from 'kysely';
import { markUnreachable } from '../db/operations/commits/markUnreachable.js';
import { readConnectorStates } from '../db/operations/connectors/readConnectorStates.js';
import { lockCursor } from '../db/operations/cursor/lockCursor.js';
import { writeCursor } from '../db/operations/cursor/writeCursor.js';
import { applyPlan } from '../db/operations/plan/applyPlan.js';
import type { Schema } from '../db/schema.js';
import { slugFromPath } from '../manifest/index.js';
import { planSnapshot } from '../plan/planRevision.js';
import type { ManifestFile, SyncPlan } from '../plan/types.js';
import type { SyncContext, SyncTarget } from './types.js';

/** Options for {@link resyncSnapshot}. */
export interface ResyncOptions {
  dryRun: boolean;
  /** The cursor is off the branch (force push): also mark commits no longer reachable. */
  rewritten: boolean;
}

async function planHead(
  trx: Kysely<Schema>,
  context: SyncContext,
  target: SyncTarget,
): Promise<SyncPlan> {
  const { repository, config } = context;
  const entries = await repository.readSnapshot({ revision: target.head, dir: config.path });
  const platform = await readConnectorStates(trx, { slugs: null, withManifests: false });
  // A blob that is already the latest version's needs no reading: content equal by construction.
  const candidates = entries.filter((entry) => {
    const state = platform.get(slugFromPath(entry.path));
    return !state || state.latest?.blobOid !== entry.oid || state.status === 'deprecated';
  });
  const slugs = candidates.map((entry) => slugFromPath(entry.path));
  const detailed = await readConnectorStates(trx, { slugs });
  const texts = await repository.readBlobs(candidates.map((entry) => entry.oid));
  const files: ManifestFile[] = candidates.map((entry) => ({
    path: entry.path,
    slug: slugFromPath(entry.path),
    oid: entry.oid,
    text: texts.get(entry.oid) ?? '',
  }));
  const commit = await repository.readCommit(target.head);
  return planSnapshot({
    commit,
    files,
    state: new Map([...platform, ...detailed]),
    present: new Set(entries.map((entry) => slugFromPath(entry.path))),
    dir: config.path,
    policy: config.versionPolicy,
    newId: context.newId ?? (() => crypto.randomUUID()),
  });
}

/**
 * Reconciles the head's snapshot against the database regardless of the cursor, in one
 * transaction: new versions where content differs, pointers moved back onto existing versions
 * whose content matches, connectors whose file is gone deprecated; then the cursor is the head.
 * Idempotent: an unchanged head reads no blob and writes nothing but the cursor.
 */
export async function resyncSnapshot(
  context: SyncContext,
  target: SyncTarget,
  options: ResyncOptions,
): Promise<SyncPlan> {
  const db = context.database.db;
  if (options.dryRun) return planHead(db, context, target);
  const clock = context.clock ?? (() => new Date());
  return db.transaction().execute(async (trx) => {
    await lockCursor(trx, target);
    const plan = await planHead(trx, context, target);
    await applyPlan(trx, plan, { ...target, now: clock() });
    if (options.rewritten) {
      await markUnreachable(trx, {
        repository: target.repository,
        reachable: await context.repository.listRevisions(target.head),
      });
    }
    await writeCursor(trx, { ...target, revision: target.head, now: clock() });
    return plan;
  });
}
