/** The commit that produced a version, as recorded when the version was created. */
export interface CommitRecord {
  sha: string;
  /** The cursor's repository key (the root commit's sha, or --repository-id). */
  repository: string;
  authorName: string;
  authorEmail: string;
  authoredAt: Date;
  committedAt: Date;
  /** The full message: subject, blank line, body. */
  message: string;
  /** False once a history rewrite (force push) left the commit off the tracked branch. */
  reachable: boolean;
}

/** One stored version with its provenance (without the manifest, which can be large). */
export interface VersionRecord {
  slug: string;
  version: string;
  /** Whether the connector's latest pointer is on this version. */
  latest: boolean;
  /** Withdrawn by an operator (`yank`): the row stays, the pointer never rests on it. */
  yanked?: boolean;
  createdAt: Date;
  /** The bump the version engine decided; null on rows made before manifest-sync. */
  bump: string | null;
  /** Why the version is what it is: the classified changes' reasons, then the numbering decision. */
  reasons: string[];
  contentHash: string | null;
  blobOid: string | null;
  /** The wheel with this version's code (its manifest's template, resolved); null when none. */
  wheelUrl: string | null;
  /** How a connection authenticates at this version (`auth_mode`, or OAUTH2/OAUTH1 implied by `oauth`); null when the manifest says neither. */
  authMode: string | null;
  /** Null on rows made before manifest-sync (no commit). */
  commit: CommitRecord | null;
}

/** One stored version with its manifest. */
export interface VersionDetail extends VersionRecord {
  manifest: unknown;
}

/** A connector and the version its latest pointer is on. */
export interface ConnectorSummary {
  slug: string;
  name: string;
  status: string;
  /** False for a user's connector, which manifest-sync never changes. */
  isPlatform: boolean;
  createdAt: Date;
  versionCount: number;
  latest: VersionRecord | null;
}

/** One page of connectors, in slug order. */
export interface ConnectorPage {
  /** How many connectors match in all (every page says the same). */
  total: number;
  limit: number;
  connectors: ConnectorSummary[];
  /** More connectors follow the last one on this page. */
  more: boolean;
}

/** One page of a connector's versions, newest first. */
export interface VersionPage {
  versions: VersionRecord[];
  /** Where the page ends (the last version's keyset), when more versions follow; else null. */
  next: { createdAt: string; id: string } | null;
}

/** The versions one commit produced (a page of them, in slug order). */
export interface CommitVersions {
  commit: CommitRecord;
  versions: VersionRecord[];
  /** More versions follow the last one on this page. */
  more: boolean;
}

/**
 * What backs the answer of the version live at a revision (always the newest version made on the
 * revision's first-parent history): 'content' when the manifest there has that version's content
 * too; 'history' alone when the manifest there differs (refused, deleted, or not synced) or was
 * not read.
 */
export type VersionAtBasis = 'content' | 'history';

/** The version live at a revision, or why there is none. */
export type VersionAt =
  | {
      found: true;
      version: VersionRecord;
      basis: VersionAtBasis;
      /** The manifest is absent at the revision: the connector was deprecated, this its last version. */
      deleted: boolean;
    }
  | { found: false; reason: string };
