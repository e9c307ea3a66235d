/** How much a change moves a version, as in changesets: a string union, ordered none < patch < minor < major. */
export type Bump = 'major' | 'minor' | 'patch' | 'none';

/** How an author's own `version` is treated when it is lower than the change requires. */
export type VersionPolicy = 'auto' | 'strict';

/** One classified difference between two manifests. */
export interface Change {
  /** RFC 6901 JSON pointer to what changed, e.g. '/actions/send_email/input/properties/to'. */
  path: string;
  kind: 'added' | 'removed' | 'changed';
  bump: Bump;
  /** Why this change has this bump, for a person. */
  reason: string;
}
