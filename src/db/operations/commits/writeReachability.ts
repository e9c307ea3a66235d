import type { Kysely } from 'kysely';
import type { Schema } from '../../schema.js';

/**
 * After a history rewrite: marks the repository's recorded commits that are no longer on the
 * branch as unreachable (and any that are again, reachable). Returns how many are unreachable.
 */
export async function writeReachability(
  trx: Kysely<Schema>,
  options: { repository: string; reachable: ReadonlySet<string> },
): Promise<number> {
  const recorded = await trx
    .selectFrom('sync_commit')
    .select(['sha', 'reachable'])
    .where('repository', '=', options.repository)
    .execute();
  const lost = recorded
    .filter((c) => c.reachable && !options.reachable.has(c.sha))
    .map((c) => c.sha);
  const found = recorded
    .filter((c) => !c.reachable && options.reachable.has(c.sha))
    .map((c) => c.sha);
  if (lost.length > 0)
    await trx
      .updateTable('sync_commit')
      .set({ reachable: false })
      .where('sha', 'in', lost)
      .execute();
  if (found.length > 0)
    await trx
      .updateTable('sync_commit')
      .set({ reachable: true })
      .where('sha', 'in', found)
      .execute();
  return recorded.filter((c) => !options.reachable.has(c.sha)).length;
}
