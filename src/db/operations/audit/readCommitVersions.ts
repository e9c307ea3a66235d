import type { Kysely } from 'kysely';
import type { CommitVersions } from '../../../audit/types.js';
import type { Schema } from '../../schema.js';
import { selectVersionRows, toVersionRecord } from './versionRows.js';

/** A full or abbreviated sha: 4 to 64 hex digits. */
const SHA_PATTERN = /^[0-9a-f]{4,64}$/;

/** The versions a commit produced, or why there is no answer. */
export type CommitVersionsResult =
  | { ok: true; value: CommitVersions }
  | { ok: false; reason: 'not-found' }
  | { ok: false; reason: 'ambiguous'; matches: string[] };

/**
 * The versions a recorded commit produced (by full or abbreviated sha), in slug order. A commit
 * that produced no versions was never recorded, so it is not found.
 */
export async function readCommitVersions(
  db: Kysely<Schema>,
  sha: string,
): Promise<CommitVersionsResult> {
  const wanted = sha.toLowerCase();
  if (!SHA_PATTERN.test(wanted)) return { ok: false, reason: 'not-found' };
  // Hex only (checked above), so the prefix carries no LIKE wildcards.
  const commits = await db
    .selectFrom('sync_commit')
    .select('sha')
    .where('sha', wanted.length >= 40 ? '=' : 'like', wanted.length >= 40 ? wanted : `${wanted}%`)
    .orderBy('sha')
    .limit(5)
    .execute();
  const [first, ...others] = commits;
  if (!first) return { ok: false, reason: 'not-found' };
  if (others.length > 0)
    return { ok: false, reason: 'ambiguous', matches: commits.map((c) => c.sha) };
  const rows = await selectVersionRows(db)
    .where('v.commit_sha', '=', first.sha)
    .orderBy('c.slug')
    .execute();
  const versions = rows.map(toVersionRecord);
  const commit = versions[0]?.commit;
  if (!commit) return { ok: false, reason: 'not-found' };
  return { ok: true, value: { commit, versions } };
}
