import type { CommitChanges, GitRepository } from '../git/index.js';
import { slugFromPath } from '../manifest/index.js';
import type { ManifestFile } from '../plan/types.js';

/**
 * One entry per slug a commit touched, with its final state at the commit: the new text read
 * from git objects, or null text when the file is gone. A rename keeping the slug is one entry.
 */
export async function readRevisionFiles(
  repository: GitRepository,
  commit: CommitChanges,
): Promise<ManifestFile[]> {
  const bySlug = new Map<string, ManifestFile>();
  for (const change of commit.changes) {
    if (change.oldPath && change.newPath !== change.oldPath) {
      const slug = slugFromPath(change.oldPath);
      if (!bySlug.has(slug))
        bySlug.set(slug, { path: change.oldPath, slug, oid: null, text: null });
    }
  }
  for (const change of commit.changes) {
    if (change.newPath && change.newOid) {
      const slug = slugFromPath(change.newPath);
      bySlug.set(slug, { path: change.newPath, slug, oid: change.newOid, text: null });
    }
  }
  const present = [...bySlug.values()].filter((file) => file.oid !== null);
  const texts = await repository.readBlobs(present.map((file) => file.oid as string));
  for (const file of present) file.text = texts.get(file.oid as string) ?? '';
  return [...bySlug.values()];
}
