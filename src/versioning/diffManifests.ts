import type { Manifest } from '../manifest/types.js';
import { sortChanges } from './change.js';
import { AUTH_KEYS, diffAuth } from './diffAuth.js';
import { diffNango } from './diffConnection.js';
import { diffGeneric } from './diffGeneric.js';
import { diffOperations } from './diffOperations.js';
import { diffWheel } from './diffWheel.js';
import { own, unionKeys } from './sameJson.js';
import type { Change } from './types.js';

/**
 * Top-level keys the diff ignores, as the content hash does (src/manifest/canonical.ts): the
 * version is what the diff decides, not an input to it; `$schema` only helps editors.
 */
const IGNORED = new Set(['version', '$schema']);

/**
 * Every difference between two manifests as a classified change (JSON pointer, kind, bump and a
 * reason a person understands), sorted by path. Key order and formatting never produce a change;
 * any other difference, `version` and `$schema` aside, produces at least a patch. See README.md for the rules.
 */
export function diffManifests(old: Manifest, next: Manifest): Change[] {
  // Walked as plain JSON: a manifest read from a file may carry keys its type does not list.
  const before = old as unknown as Record<string, unknown>;
  const after = next as unknown as Record<string, unknown>;
  const changes = unionKeys(before, after)
    .filter((key) => !IGNORED.has(key) && !AUTH_KEYS.has(key))
    .flatMap((key) => diffSection(key, own(before, key), own(after, key)));
  changes.push(...diffAuth(before, after));
  return sortChanges(changes);
}

function diffSection(key: string, old: unknown, next: unknown): Change[] {
  switch (key) {
    case 'actions':
    case 'triggers':
      return diffOperations(key, old, next);
    case 'nango':
      return diffNango(old, next);
    case 'wheel_url':
      return diffWheel(old, next);
    default:
      return diffGeneric(old, next, [key], [key]);
  }
}
