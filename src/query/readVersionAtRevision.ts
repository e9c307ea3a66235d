import type { Kysely } from 'kysely';
import type { ManifestAtRevision } from '../audit/chooseVersionAt.js';
import type { VersionAt } from '../audit/types.js';
import type { Schema } from '../db/schema.js';
import type { GitRepository } from '../git/index.js';
import { readVersionAt } from './readVersionAt.js';

/** Where {@link readVersionAtRevision} reads from. */
export interface VersionAtDeps {
  db: Kysely<Schema>;
  repository: GitRepository;
  /** The manifest directory, relative to the repository root ('' for the root). */
  dir: string;
}

/** The answer, or which of the two names was unknown. */
export type VersionAtRevision =
  | { kind: 'unknown-revision' }
  | { kind: 'unknown-slug' }
  | { kind: 'answer'; sha: string; at: VersionAt };

/**
 * The shell around `chooseVersionAt`: resolves the revision (sha, branch or tag), lists its
 * first-parent history and reads the connector's manifest there from git, then asks the database.
 * The CLI's `show --at` and the daemon's `?at=` both come here, so they always agree.
 */
export async function readVersionAtRevision(
  deps: VersionAtDeps,
  options: { slug: string; revision: string },
): Promise<VersionAtRevision> {
  const sha = await deps.repository.resolveRevision(options.revision);
  if (sha === null) return { kind: 'unknown-revision' };
  const [revisions, manifest] = await Promise.all([
    deps.repository.listRevisions(sha),
    readManifestAt(deps, options.slug, sha),
  ]);
  const at = await readVersionAt(deps.db, { slug: options.slug, revisions, manifest });
  return at === null ? { kind: 'unknown-slug' } : { kind: 'answer', sha, at };
}

async function readManifestAt(
  deps: VersionAtDeps,
  slug: string,
  revision: string,
): Promise<ManifestAtRevision> {
  const dir = deps.dir
    .split('/')
    .filter((part) => part !== '' && part !== '.')
    .join('/');
  const file = dir === '' ? `${slug}.json` : `${dir}/${slug}.json`;
  // The validator compiles its schema when loaded: only `--at` pays for it.
  const { checkManifest, MAX_MANIFEST_BYTES } = await import('../manifest/check.js');
  const snapshot = await deps.repository.readSnapshot({ revision, dir });
  const entry = snapshot.find((e) => e.path === file);
  if (!entry) return { present: false };
  const blob = (await deps.repository.readBlobsUpTo([entry.oid], MAX_MANIFEST_BYTES)).get(
    entry.oid,
  );
  const checked = checkManifest(blob?.text ?? '', {
    file,
    revision,
    expectedSlug: slug,
    ...(blob?.text === null ? { bytes: blob.bytes } : {}),
  });
  return { present: true, hash: checked.ok ? checked.hash : null };
}
