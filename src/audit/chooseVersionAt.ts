import { compareNewestFirst } from './orderVersions.js';
import type { VersionAt, VersionRecord } from './types.js';

/** The connector's manifest at the revision, when the caller read it from git. */
export type ManifestAtRevision =
  | { present: false }
  /** `hash` is the content hash, or null when the file is not a valid manifest. */
  | { present: true; hash: string | null };

/** What {@link chooseVersionAt} decides from. */
export interface VersionAtInput {
  /** Every stored version of the connector, in any order. */
  history: readonly VersionRecord[];
  /** The revision's first-parent history, newest first (as `GitRepository.listRevisions` gives it). */
  revisions: Iterable<string>;
  /** The manifest at the revision; without it the answer rests on the history alone. */
  manifest?: ManifestAtRevision;
}

/**
 * The version that was live at a revision: the newest version made on the revision's first-parent
 * history (the one made at the commit nearest the revision; rows made before manifest-sync, which
 * have no commit, predate all of it). Apart from repairing a pointer moved by hand, the planner
 * moves the pointer only onto a version it makes at that commit (a revert is a new version too),
 * and a deletion leaves the pointer where it was, so this is where the pointer stood. The manifest at the revision, when given, says whether the
 * connector had been deleted there and whether its content is that version's. Pure.
 */
export function chooseVersionAt(input: VersionAtInput): VersionAt {
  const position = new Map<string, number>();
  for (const sha of input.revisions) if (!position.has(sha)) position.set(sha, position.size);
  const rank = (v: VersionRecord) =>
    v.commit ? (position.get(v.commit.sha) ?? -1) : Number.POSITIVE_INFINITY;
  const candidates = input.history
    .filter((v) => rank(v) !== -1)
    .sort((a, b) => rank(a) - rank(b) || compareNewestFirst(a, b));
  const newest = candidates[0];
  if (!newest) {
    return {
      found: false,
      reason: 'no version was made on the first-parent history of that revision',
    };
  }
  const manifest = input.manifest;
  const deleted = manifest?.present === false;
  const same =
    manifest?.present === true && manifest.hash !== null && manifest.hash === newest.contentHash;
  return { found: true, version: newest, basis: same ? 'content' : 'history', deleted };
}
