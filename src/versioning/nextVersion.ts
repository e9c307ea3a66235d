import semver from 'semver';
import type { Bump, VersionPolicy } from './types.js';

/**
 * What `nextVersion` decided about the number: its verdict (a connector's whole decision, with
 * action and reasons, is the planner's `PlanDecision`). Three cases the caller cannot confuse:
 * - `{ ok: true, version: string }`: write a new version with this number;
 * - `{ ok: true, version: null }`: nothing to release (same content, no higher version asked for);
 * - `{ ok: false }`: the author's version is refused (policy `strict`, or not semver).
 * `reason` always says why, for logs and the CLI.
 */
export type VersionVerdict =
  | { ok: true; version: string; reason: string }
  | { ok: true; version: null; reason: string }
  | { ok: false; reason: string };

/**
 * The version to store for a manifest, from the latest stored version (null for a new connector),
 * the `version` written in the file, the bump its changes require and the policy. A new version is
 * always greater than `latest`; see README.md for the rules.
 *
 * @param cause why the bump is what it is, quoted in reasons (e.g. `explainBump(changes)`)
 */
export function nextVersion(
  latest: string | null,
  fileVersion: string | undefined,
  bump: Bump,
  policy: VersionPolicy,
  cause?: string,
): VersionVerdict {
  const file = fileVersion === undefined ? undefined : semver.valid(fileVersion);
  if (file === null) {
    return {
      ok: false,
      reason: `version \`${fileVersion}\` in the manifest is not a semver version`,
    };
  }
  if (latest === null) {
    if (file === undefined)
      return {
        ok: true,
        version: '1.0.0',
        reason: 'first version: 1.0.0 (the manifest sets none)',
      };
    return { ok: true, version: file, reason: `first version: ${file}, as the manifest sets` };
  }
  const last = semver.valid(latest);
  if (last === null)
    return { ok: false, reason: `latest stored version \`${latest}\` is not a semver version` };
  if (bump === 'none') return unchanged(last, file);
  return changed(last, file, bump, policy, cause === undefined ? '' : ` (${cause})`);
}

/** Same content: only an explicitly higher version releases it again. */
function unchanged(last: string, file: string | undefined): VersionVerdict {
  if (file !== undefined && semver.gt(file, last)) {
    return {
      ok: true,
      version: file,
      reason: `no content change, but the manifest sets ${file} above the latest ${last}: an explicit release of the same content`,
    };
  }
  if (file === undefined || semver.eq(file, last)) {
    return { ok: true, version: null, reason: `no content change: stays at ${last}` };
  }
  return {
    ok: true,
    version: null,
    reason: `no content change; the manifest's ${file} is below the latest ${last}: ignored, stays at ${last}`,
  };
}

/**
 * Changed content: the author's version is kept when it is above `last` and its release
 * (2.0.0 for 2.0.0-beta.1) reaches `semver.inc(last, bump)`; otherwise the computed version is
 * used (`auto`) or the author's version refused (`strict`). No version in the file means computed.
 */
function changed(
  last: string,
  file: string | undefined,
  bump: Exclude<Bump, 'none'>,
  policy: VersionPolicy,
  why: string,
): VersionVerdict {
  const bumped = semver.inc(last, bump);
  // Past 2^53 - 1, semver.inc returns a number semver itself no longer reads.
  const required = bumped === null ? null : semver.valid(bumped);
  if (required === null) {
    return {
      ok: false,
      reason: `cannot bump ${last} by ${bump}: the next version is out of range`,
    };
  }
  const need = `the content changed and needs a ${bump} bump${why}`;
  if (file === undefined) {
    return { ok: true, version: required, reason: `${need}: ${last} -> ${required}` };
  }
  if (!semver.gt(file, last)) {
    const stale = `the manifest's ${file} is not above the latest ${last}`;
    if (policy === 'strict')
      return { ok: false, reason: `${stale}, but ${need}: set ${required} or higher` };
    return { ok: true, version: required, reason: `${stale}: ignored; ${need}: using ${required}` };
  }
  if (semver.gte(releaseOf(file), required)) {
    return {
      ok: true,
      version: file,
      reason: `the manifest's ${file} satisfies the ${bump} bump${why}`,
    };
  }
  const short = `author set ${file} but a ${bump} bump is required${why}`;
  if (policy === 'strict') return { ok: false, reason: `${short}: set ${required} or higher` };
  return { ok: true, version: required, reason: `${short}: using ${required}` };
}

/** The release a version leads to: 2.0.0-beta.1 -> 2.0.0 (a pre-release of the next major counts as one). */
function releaseOf(version: string): string {
  return `${semver.major(version)}.${semver.minor(version)}.${semver.patch(version)}`;
}
