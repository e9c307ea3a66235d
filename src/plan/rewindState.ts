import type { ConnectorState, VersionState } from './types.js';

/** One stored version with the commit that made it (null: made by hand before manifest-sync). */
export interface VersionAt extends VersionState {
  blobOid: string | null;
  wheelUrl: string | null;
  commitSha: string | null;
  /** Its manifest: read only for the version `latestAt` chooses (null until then). */
  manifest: unknown;
  /** The manifest's size as stored, uncompressed (see `readConnectorStates`). */
  bytes?: number;
}

/** A connector with every version it has now. */
export interface ConnectorLineage {
  id: string;
  slug: string;
  name: string;
  status: string;
  isPlatform: boolean;
  latestVersionId: string | null;
  versions: VersionAt[];
}

/** Where the database would have been: the revision's first-parent history, and its manifests. */
export interface RewindPoint {
  /** A commit's place in the revision's first-parent history (0 = the revision); undefined: not in it. */
  position: (sha: string) => number | undefined;
  /** Whether the revision has the connector's manifest. */
  present: (slug: string) => boolean;
}

/**
 * The state a connector had when the cursor was at an earlier revision: only the versions made by
 * commits in that revision's history (or by hand), the newest of them latest, its name and status
 * as that manifest says (deprecated when the revision has no file for it). Null when the
 * connector did not exist yet. Someone else's connector (`is_platform` false) is never rewound:
 * the planner only needs to see it to refuse it. Pure.
 */
export function rewindState(lineage: ConnectorLineage, at: RewindPoint): ConnectorState | null {
  const rewound = latestAt(lineage, at);
  if (rewound === null) return null;
  const { kept, latest } = rewound;
  const manifest = (latest?.manifest ?? {}) as { name?: unknown; status?: unknown };
  const synced = lineage.isPlatform && kept.some((v) => v.commitSha !== null);
  const name = synced && typeof manifest.name === 'string' ? manifest.name : lineage.name;
  const status = !synced
    ? lineage.status
    : !at.present(lineage.slug)
      ? 'deprecated'
      : typeof manifest.status === 'string'
        ? manifest.status
        : lineage.status;
  return {
    id: lineage.id,
    slug: lineage.slug,
    name,
    status,
    isPlatform: lineage.isPlatform,
    latest: latest
      ? {
          id: latest.id,
          version: latest.version,
          hash: latest.hash,
          blobOid: latest.blobOid,
          wheelUrl: latest.wheelUrl,
          manifest: latest.manifest,
        }
      : null,
    versions: kept.map(({ id, version, hash }) => ({ id, version, hash })),
  };
}

/**
 * The versions a connector had at an earlier revision, and which was latest (its manifest is the
 * only one `rewindState` reads): null when the connector did not exist yet. Pure.
 */
export function latestAt(
  lineage: ConnectorLineage,
  at: RewindPoint,
): { kept: VersionAt[]; latest: VersionAt | null } | null {
  const stamp = (v: VersionAt) =>
    v.commitSha === null ? Number.POSITIVE_INFINITY : at.position(v.commitSha);
  const kept = lineage.isPlatform
    ? lineage.versions.filter((v) => stamp(v) !== undefined)
    : lineage.versions;
  if (kept.length === 0 && lineage.versions.length > 0) return null;
  // Newest first: the smallest position; hand-made versions (no commit) are older than any commit.
  const latest = lineage.isPlatform
    ? kept.reduce<VersionAt | null>(
        (best, v) => (best === null || (stamp(v) ?? 0) < (stamp(best) ?? 0) ? v : best),
        null,
      )
    : (kept.find((v) => v.id === lineage.latestVersionId) ?? null);
  return { kept, latest };
}
