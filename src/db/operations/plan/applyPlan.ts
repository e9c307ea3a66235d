import { CompiledQuery, type Kysely, sql } from 'kysely';
import { mergePlans } from '../../../plan/mergePlans.js';
import type { SyncPlan } from '../../../plan/types.js';
import type { Schema } from '../../schema.js';
import type { CursorKey } from '../cursor/lockCursor.js';
import { copyRows, insertRows, valuesList } from './multiRow.js';

/**
 * Rows per statement: a multi-row INSERT or UPDATE stays well under PostgreSQL's 65,535 bind
 * parameters, and a COPY's data under a few megabytes but for the largest manifests.
 */
const BATCH = 1000;

function* batches<T>(items: readonly T[]): Generator<T[]> {
  for (let i = 0; i < items.length; i += BATCH) yield items.slice(i, i + BATCH);
}

/** Every column of a version row, as applyPlans writes it. */
const VERSION_COLUMNS = [
  'id',
  'connector_id',
  'version',
  'manifest',
  'wheel_url',
  'created_at',
  'commit_sha',
  'content_hash',
  'blob_oid',
  'bump',
  'reasons',
] as const;

/** What applyPlan wrote, for the run log and metrics. */
export interface ApplyResult {
  connectorsCreated: number;
  versionsCreated: number;
  refusals: number;
}

/**
 * Writes a plan inside the caller's transaction: decides nothing, only executes. A handful of
 * statements a thousand rows whatever the plan's size (commits, connectors, versions, pointer
 * moves, connector updates, refusals, resolved refusals); new connectors and versions copied
 * when `copy` says so (see multiRow.ts).
 */
export async function applyPlan(
  trx: Kysely<Schema>,
  plan: SyncPlan,
  options: ApplyOptions,
): Promise<ApplyResult> {
  return applyPlans(trx, [plan], options);
}

/**
 * Where and when plans are written, the ids of the rows that are not planned (refusals), and
 * whether new rows may be copied (`copyAllowed`; inserted when not said).
 */
export type ApplyOptions = CursorKey & { now: Date; newId: () => string; copy?: boolean };

/**
 * Writes plans, in the order given, inside the caller's transaction: the same handful of
 * statements for one plan or a batch of many commits (`mergePlans`), leaving the rows
 * as if each plan had been written in turn. Each version keeps its own commit's sha.
 */
export async function applyPlans(
  trx: Kysely<Schema>,
  plans: readonly SyncPlan[],
  options: ApplyOptions,
): Promise<ApplyResult> {
  const now = options.now.toISOString();
  const write = mergePlans(plans);
  const writtenAt = commitTimes(plans, options.now);
  const writeRows = options.copy ? copyRows : insertRows;
  for (const rows of batches(write.commits)) {
    await trx
      .insertInto('sync_commit')
      .values(
        rows.map((commit) => ({
          sha: commit.sha,
          repository: options.repository,
          author_name: commit.authorName,
          author_email: commit.authorEmail,
          authored_at: commit.authoredAt.toISOString(),
          committed_at: commit.committedAt.toISOString(),
          message: commit.message,
          recorded_at: now,
        })),
      )
      .onConflict((oc) => oc.column('sha').doUpdateSet({ reachable: true }))
      .execute();
  }
  for (const rows of batches(write.newConnectors)) {
    await writeRows(
      trx,
      'connector',
      ['id', 'slug', 'name', 'status', 'is_platform', 'created_at'],
      rows.map((c) => ({
        id: c.id,
        slug: c.slug,
        name: c.name,
        status: c.status,
        is_platform: true,
        created_at: now,
      })),
    );
  }
  for (const rows of batches(write.newVersions)) {
    await writeRows(
      trx,
      'connectorversion',
      VERSION_COLUMNS,
      rows.map((v) => ({
        id: v.id,
        connector_id: v.connectorId,
        version: v.version,
        manifest: JSON.stringify(v.manifest),
        wheel_url: v.wheelUrl,
        created_at: writtenAt(v.commitSha),
        commit_sha: v.commitSha,
        content_hash: v.hash,
        blob_oid: v.blobOid,
        bump: v.bump,
        reasons: JSON.stringify(v.reasons),
      })),
    );
  }
  for (const rows of batches(write.pointerMoves)) {
    const parameters = rows.flatMap((m) => [m.connectorId, m.versionId]);
    await trx.executeQuery(
      CompiledQuery.raw(
        `UPDATE connector SET latest_version_id = moves.version_id
          FROM (VALUES ${valuesList(rows.length, ['::uuid', '::uuid'])}) AS moves (connector_id, version_id)
          WHERE connector.id = moves.connector_id`,
        parameters,
      ),
    );
  }
  for (const rows of batches(write.connectorUpdates)) {
    const parameters = rows.flatMap((u) => [u.connectorId, u.name, u.status]);
    await trx.executeQuery(
      CompiledQuery.raw(
        `UPDATE connector SET name = updates.name, status = updates.status
          FROM (VALUES ${valuesList(rows.length, ['::uuid', '::text', '::text'])}) AS updates (connector_id, name, status)
          WHERE connector.id = updates.connector_id AND connector.is_platform`,
        parameters,
      ),
    );
  }
  for (const rows of batches(write.resolutions)) {
    const values = sql.join(rows.map((r) => sql`(${r.file}, ${r.sha})`));
    await sql`UPDATE sync_refusal SET resolved_by = closed.sha
      FROM (VALUES ${values}) AS closed (file, sha)
      WHERE sync_refusal.repository = ${options.repository}
        AND sync_refusal.branch = ${options.branch}
        AND sync_refusal.resolved_by IS NULL
        AND sync_refusal.file = closed.file`.execute(trx);
  }
  for (const rows of batches(write.refusals)) {
    await trx
      .insertInto('sync_refusal')
      .values(
        rows.map((r) => ({
          id: options.newId(),
          repository: options.repository,
          branch: options.branch,
          commit_sha: r.commitSha,
          file: r.file,
          slug: r.slug,
          pointer: r.pointer,
          code: r.code,
          message: r.message,
          line: r.line ?? null,
          column: r.column ?? null,
          resolved_by: r.resolvedBy,
          created_at: writtenAt(r.commitSha),
        })),
      )
      .execute();
  }
  return {
    connectorsCreated: write.newConnectors.length,
    versionsCreated: write.newVersions.length,
    refusals: write.refusals.length,
  };
}

/**
 * When each commit's rows were written. A batch of commits shares one transaction and one `now`,
 * but newest-first lists (the API, the page) order by `created_at`: so the batch's commits are
 * stamped a microsecond apart, in commit order, the last at `now` (the keyset reads the
 * database's own text of the timestamp, so the microseconds survive into the next page).
 */
function commitTimes(plans: readonly SyncPlan[], now: Date): (sha: string) => string {
  const order = [...new Set(plans.map((plan) => plan.commit.sha))];
  const stamp = (micros: number) => {
    const ms = Math.floor(micros / 1000);
    const iso = new Date(ms).toISOString();
    return `${iso.slice(0, -1)}${String(micros - ms * 1000).padStart(3, '0')}Z`;
  };
  const nowMicros = now.getTime() * 1000;
  const stamps = new Map(order.map((sha, i) => [sha, stamp(nowMicros - (order.length - 1 - i))]));
  return (sha) => stamps.get(sha) ?? stamp(nowMicros);
}
