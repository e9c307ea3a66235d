import type { Kysely } from 'kysely';
import { chooseVersionAt, type ManifestAtRevision } from '../audit/chooseVersionAt.js';
import type { VersionAt } from '../audit/types.js';
import type { Schema } from '../db/schema.js';
import { readVersionHistory } from './readVersionHistory.js';

/**
 * The version of a connector that was live at a revision, given that revision's first-parent
 * history (newest first, from `GitRepository.listRevisions`; git is the caller's business) and,
 * when the caller read it, the manifest there. Null when no connector has the slug.
 */
export async function readVersionAt(
  db: Kysely<Schema>,
  options: { slug: string; revisions: Iterable<string>; manifest?: ManifestAtRevision },
): Promise<VersionAt | null> {
  const history = await readVersionHistory(db, options.slug);
  if (history === null) return null;
  return chooseVersionAt({
    history,
    revisions: options.revisions,
    ...(options.manifest ? { manifest: options.manifest } : {}),
  });
}
