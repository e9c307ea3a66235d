import type { Bump, Change } from './types.js';

const RANK: Readonly<Record<Bump, number>> = { none: 0, patch: 1, minor: 2, major: 3 };

/** Orders bumps none < patch < minor < major: negative when `a` is smaller, 0 when equal. */
export function compareBumps(a: Bump, b: Bump): number {
  return RANK[a] - RANK[b];
}

/** The larger of two bumps. */
export function maxBump(a: Bump, b: Bump): Bump {
  return compareBumps(a, b) >= 0 ? a : b;
}

/** The bump a set of changes requires: the largest of theirs, 'none' when there are no changes. */
export function overallBump(changes: readonly Change[]): Bump {
  return changes.reduce<Bump>((bump, change) => maxBump(bump, change.bump), 'none');
}
