import type { CommitChanges, GitRepository } from '../git/index.js';
import { slugFromPath } from '../manifest/index.js';
import type { ManifestFile } from '../plan/types.js';

/**
 * One entry per slug a commit touched, with its final state at the commit: its new blob, or no
 * blob when the file is gone. A rename keeping the slug is one entry. Texts are not read yet.
 */
export function listRevisionFiles(commit: Pick<CommitChanges, 'changes'>): ManifestFile[] {
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
  return [...bySlug.values()];
}

/** The files with their texts read from git objects (through the long-lived cat-file). */
export async function readFileTexts(
  repository: GitRepository,
  files: readonly ManifestFile[],
): Promise<ManifestFile[]> {
  const present = files.filter((file) => file.oid !== null);
  const texts = await repository.readBlobs(present.map((file) => file.oid as string));
  return files.map((file) =>
    file.oid === null ? file : { ...file, text: texts.get(file.oid) ?? '' },
  );
}
