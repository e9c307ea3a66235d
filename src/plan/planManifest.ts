import semver from 'semver';
import { checkManifest, hashManifest, locateInText, resolveWheelUrl } from '../manifest/index.js';
import type { Manifest, ManifestResult } from '../manifest/types.js';
import {
  diffManifests,
  explainBump,
  nextVersion,
  overallBump,
  withStoredWheel,
} from '../versioning/index.js';
import type { Bump, Change, VersionPolicy } from '../versioning/types.js';
import type {
  ConnectorState,
  ManifestFile,
  PlanDecision,
  PlannedVersion,
  Refusal,
} from './types.js';

/** What one present manifest asks of the database: its plan, refused or accepted. */
export type ManifestPlan =
  | { kind: 'refused'; refusals: Refusal[]; decision: PlanDecision }
  | {
      kind: 'accepted';
      manifest: Manifest;
      /** A new version to write, or null when the content is already the latest. */
      version: Omit<PlannedVersion, 'id' | 'connectorId'> | null;
      /** An existing version whose content matches, when the pointer has drifted off it. */
      repointTo: string | null;
      decision: PlanDecision;
    };

/** The highest of the connector's stored versions: numbering never reuses one. */
function highestVersion(state: ConnectorState): string | null {
  const valid = state.versions
    .map((v) => semver.valid(v.version))
    .filter((v): v is string => v !== null);
  return valid.length === 0 ? (state.latest?.version ?? null) : (semver.rsort(valid)[0] ?? null);
}

function storedHash(state: ConnectorState): string | null {
  const latest = state.latest;
  if (!latest) return null;
  if (latest.hash) return latest.hash;
  return hashManifest(latest.manifest as Manifest);
}

/**
 * A refusal the planner makes (not the parser): located at `pointer` in the file's text, so it
 * carries a line and column like every parsing problem.
 */
function refuse(
  file: ManifestFile,
  revision: string,
  code: string,
  message: string,
  pointer: string,
): ManifestPlan {
  const at = file.text === null ? undefined : locateInText(file.text, pointer);
  const refusal: Refusal = {
    file: file.path,
    revision,
    slug: file.slug,
    pointer,
    ...(at && { line: at.line, column: at.column }),
    code,
    message,
  };
  return {
    kind: 'refused',
    refusals: [refusal],
    decision: decision(file, 'refuse', null, null, 'none', [message]),
  };
}

function decision(
  file: ManifestFile,
  action: PlanDecision['action'],
  from: string | null,
  to: string | null,
  bump: Bump,
  reasons: string[],
): PlanDecision {
  return { slug: file.slug, file: file.path, action, from, to, bump, reasons };
}

/**
 * Reads a manifest file's text as the planner does (size, JSON, schema, slug, storability), for
 * its revision. Pure, and the same whether the planner calls it or it was called ahead
 * (`ManifestFile.checked`).
 */
export function checkFile(file: ManifestFile & { text: string }, revision: string): ManifestResult {
  return checkManifest(file.text, {
    file: file.path,
    revision,
    expectedSlug: file.slug,
    ...(file.unreadBytes === undefined ? {} : { bytes: file.unreadBytes }),
  });
}

/**
 * Decides what one manifest present at a revision means for its connector: refuse it, leave it,
 * point back at an existing version with the same content, or number a new version.
 */
export function planManifest(
  file: ManifestFile & { text: string },
  state: ConnectorState | undefined,
  revision: string,
  policy: VersionPolicy,
): ManifestPlan {
  const checked = file.checked ?? checkFile(file, revision);
  if (!checked.ok) {
    const refusals = checked.errors.map((error) => ({ ...error, slug: file.slug }));
    const reasons = refusals.map((r) => `${r.pointer || '/'}: ${r.message}`);
    return {
      kind: 'refused',
      refusals,
      decision: decision(file, 'refuse', null, null, 'none', reasons),
    };
  }
  const { manifest, hash } = checked;
  if (state && !state.isPlatform) {
    return refuse(
      file,
      revision,
      'slug-conflict',
      `slug \`${file.slug}\` belongs to a user's connector (is_platform = false), which manifest-sync never changes: rename this manifest`,
      '/slug',
    );
  }

  const latest = state?.latest ?? null;
  if (state && latest && storedHash(state) === hash) {
    // Same content: nothing, unless an explicit, higher `version` releases it again.
    return numbered({
      file,
      manifest,
      hash,
      state,
      from: latest.version,
      changes: [],
      revision,
      policy,
    });
  }
  // The pointer drifted (moved by hand) when the content is the newest version's: point back at it.
  // Content equal to an older version is a revert, and a revert is a new version: versions only go up.
  const newest = state ? highestVersion(state) : null;
  const matching = state?.versions.find((v) => v.hash === hash && v.version === newest);
  if (state && matching && matching.id !== latest?.id) {
    const reason = latest
      ? `the latest pointer was on ${latest.version}, whose content differs; ${matching.version} has this content`
      : `the latest pointer was empty; ${matching.version} has this content`;
    return {
      kind: 'accepted',
      manifest,
      version: null,
      repointTo: matching.id,
      decision: decision(file, 'repoint', latest?.version ?? null, matching.version, 'none', [
        reason,
      ]),
    };
  }
  if (!state || !latest) {
    // Versions without a pointer (made by hand): nothing to diff against, so the least bump past them.
    const changes: Change[] = state?.versions.length
      ? [
          {
            path: '',
            kind: 'changed',
            bump: 'patch',
            reason: 'no latest version to compare with: released as a patch',
          },
        ]
      : [];
    return numbered({ file, manifest, hash, state, from: null, changes, revision, policy });
  }
  const stored = withStoredWheel(latest.manifest as Manifest, latest.wheelUrl);
  const changes = diffManifests(stored, manifest);
  return numbered({ file, manifest, hash, state, from: latest.version, changes, revision, policy });
}

function unchanged(file: ManifestFile, version: string): PlanDecision {
  return decision(file, 'unchanged', version, version, 'none', []);
}

interface NumberingInput {
  file: ManifestFile;
  manifest: Manifest;
  hash: string;
  state: ConnectorState | undefined;
  /** The version the pointer is on, which the changes were diffed against. */
  from: string | null;
  changes: Change[];
  revision: string;
  policy: VersionPolicy;
}

/** Numbers a new version past every stored one, by the changes' bump and the author's own `version`. */
function numbered({
  file,
  manifest,
  hash,
  state,
  from,
  changes,
  revision,
  policy,
}: NumberingInput): ManifestPlan {
  const bump = overallBump(changes);
  const base = state ? highestVersion(state) : null;
  // The stored reasons list every change first, so the verdict must not quote one again; a
  // refusal stands alone in `status`, so there it says which change needs the bump.
  const verdict = nextVersion(base, manifest.version, bump, policy);
  if (!verdict.ok) {
    const cause = changes.length ? explainBump(changes) : undefined;
    const refusal = nextVersion(base, manifest.version, bump, policy, cause);
    const pointer = manifest.version === undefined ? '' : '/version';
    return refuse(file, revision, 'version-policy', refusal.reason, pointer);
  }
  if (verdict.version === null) {
    return {
      kind: 'accepted',
      manifest,
      version: null,
      repointTo: null,
      decision: unchanged(file, from ?? ''),
    };
  }
  // concat, not a spread: a spread leaves spare room in the array, 130 bytes a decision, kept
  // with every decision of a run (13 MB at 100,000 manifests).
  const reasons = changes.map((change) => change.reason).concat(verdict.reason);
  const stored: Manifest = { ...manifest, version: verdict.version };
  return {
    kind: 'accepted',
    manifest,
    version: {
      slug: file.slug,
      version: verdict.version,
      manifest: stored,
      hash,
      blobOid: file.oid,
      wheelUrl: resolveWheelUrl(manifest.wheel_url, { slug: file.slug, version: verdict.version }),
      bump,
      reasons,
      previousVersion: from,
    },
    repointTo: null,
    decision: decision(
      file,
      from === null && !state ? 'create' : 'version',
      from,
      verdict.version,
      bump,
      reasons,
    ),
  };
}
