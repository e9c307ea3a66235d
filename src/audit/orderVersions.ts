import semver from 'semver';
import type { VersionRecord } from './types.js';

/** Higher semver first; a number that is not semver sorts by text, after the valid ones. */
function compareVersionsDesc(a: string, b: string): number {
  const va = semver.valid(a);
  const vb = semver.valid(b);
  if (va && vb) return semver.rcompare(va, vb);
  if (va) return -1;
  if (vb) return 1;
  return a < b ? 1 : a > b ? -1 : 0;
}

/** Newest first: by creation time, then (same transaction or clock tick) by higher semver. */
export function compareNewestFirst(
  a: Pick<VersionRecord, 'createdAt' | 'version'>,
  b: Pick<VersionRecord, 'createdAt' | 'version'>,
): number {
  const byTime = b.createdAt.getTime() - a.createdAt.getTime();
  return byTime !== 0 ? byTime : compareVersionsDesc(a.version, b.version);
}

/** A sorted copy, newest first (see {@link compareNewestFirst}). */
export function orderNewestFirst<T extends Pick<VersionRecord, 'createdAt' | 'version'>>(
  versions: readonly T[],
): T[] {
  return [...versions].sort(compareNewestFirst);
}
