import type { Kysely } from 'kysely';
import type { CommitRecord, CommitVersions } from '../audit/types.js';
import type { Schema } from '../db/schema.js';
import { selectVersionRows, toVersionRecord } from './versionRows.js';

/** A full or abbreviated sha: 4 to 64 hex digits. */
const SHA_PATTERN = /^[0-9a-f]{4,64}$/;

/** The versions a commit produced, or why there is no answer. */
export type CommitVersionsResult =
  | { ok: true; value: CommitVersions }
  | { ok: false; reason: 'not-found' }
  | { ok: false; reason: 'ambiguous'; matches: string[] };

/**
 * A page of the versions a recorded commit produced (by full or abbreviated sha), in slug order
 * after the slug `after` (a commit adding 100,000 manifests is read `limit` at a time). A commit
 * that produced no versions was never recorded, so it is not found.
 */
export async function readCommitVersions(
  db: Kysely<Schema>,
  sha: string,
  page: { limit: number; after?: string | null } = { limit: 1000 },
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
  let query = selectVersionRows(db).where('v.commit_sha', '=', first.sha);
  if (page.after) query = query.where('c.slug', '>', page.after);
  const rows = await query
    .orderBy('c.slug')
    .limit(page.limit + 1)
    .execute();
  const versions = rows.slice(0, page.limit).map(toVersionRecord);
  const commit = versions[0]?.commit ?? (page.after ? await readCommit(db, first.sha) : null);
  if (!commit) return { ok: false, reason: 'not-found' };
  return { ok: true, value: { commit, versions, more: rows.length > page.limit } };
}

/** The commit alone, for a page past its last version. */
async function readCommit(db: Kysely<Schema>, sha: string): Promise<CommitRecord | null> {
  const row = await selectVersionRows(db)
    .where('v.commit_sha', '=', sha)
    .limit(1)
    .executeTakeFirst();
  return row ? toVersionRecord(row).commit : null;
}
