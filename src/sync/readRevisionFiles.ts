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
 * the planner to refuse by name. With `budget`, only the files whose texts fit in that many bytes
 * together (at least one) come back: a prefix of `files`, the rest to be read again.
 */
export async function readFileTexts(
  repository: GitRepository,
  files: readonly ManifestFile[],
  budget?: number,
): Promise<ManifestFile[]> {
  const present = files.filter((file) => file.oid !== null);
  const blobs = await repository.readBlobsUpTo(
    present.map((file) => file.oid as string),
    MAX_MANIFEST_BYTES,
    budget,
  );
  const read: ManifestFile[] = [];
  for (const file of files) {
    const blob = file.oid === null ? undefined : blobs.get(file.oid);
    if (blob?.deferred) break;
    if (file.oid === null) read.push(file);
    else if (blob?.text === null) read.push({ ...file, text: '', unreadBytes: blob.bytes });
    else read.push({ ...file, text: blob?.text ?? '' });
  }
  return read;
}
