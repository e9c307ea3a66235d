import type { CommitChanges, GitRepository } from '../git/index.js';
import { MAX_MANIFEST_BYTES, slugFromPath } from '../manifest/index.js';
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

/**
 * The files with their texts read from git objects (through the long-lived cat-file). A blob over
 * the manifest size limit is never read: it comes back with `text: ''` and its `unreadBytes`, for
 * the planner to refuse by name.
 */
export async function readFileTexts(
  repository: GitRepository,
  files: readonly ManifestFile[],
): Promise<ManifestFile[]> {
  const present = files.filter((file) => file.oid !== null);
  const blobs = await repository.readBlobsUpTo(
    present.map((file) => file.oid as string),
    MAX_MANIFEST_BYTES,
  );
  return files.map((file) => {
    if (file.oid === null) return file;
    const blob = blobs.get(file.oid);
    if (blob?.text === null) return { ...file, text: '', unreadBytes: blob.bytes };
    return { ...file, text: blob?.text ?? '' };
  });
}
