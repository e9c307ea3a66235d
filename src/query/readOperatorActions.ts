import type { Kysely } from 'kysely';
import type { ActionRecord, ActionVia } from '../audit/actionTypes.js';
import type { Schema } from '../db/schema.js';
import type { OperatorActionName } from '../plan/operatorTypes.js';

/** Which actions {@link readOperatorActions} reads. */
export interface ActionFilter {
  /** One connector's actions only. */
  slug?: string;
  /** @default 100 */
  limit?: number;
  /** @default 0 */
  offset?: number;
}

/** Recorded operator actions, newest first, with how many match in all. */
export async function readOperatorActions(
  db: Kysely<Schema>,
  filter: ActionFilter = {},
): Promise<{ total: number; actions: ActionRecord[] }> {
  let query = db.selectFrom('sync_operator_action');
  if (filter.slug !== undefined) query = query.where('slug', '=', filter.slug);
  const [rows, count] = await Promise.all([
    query
      .selectAll()
      .orderBy('id', 'desc')
      .limit(filter.limit ?? 100)
      .offset(filter.offset ?? 0)
      .execute(),
    query.select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return {
    total: Number(count.n),
    actions: rows.map((row) => ({
      id: Number(row.id),
      at: row.at,
      actor: row.actor,
      via: row.via as ActionVia,
      action: row.action as OperatorActionName,
      repository: row.repository,
      branch: row.branch,
      slug: row.slug,
      version: row.version,
      fromVersion: row.from_version,
      toVersion: row.to_version,
      until: row.until,
      reason: row.reason,
      detail: row.detail,
    })),
  };
}
