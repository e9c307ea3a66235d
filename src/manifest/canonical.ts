import { createHash } from 'node:crypto';
import { isImpliedAuthMode } from './authMode.js';
import type { Manifest } from './types.js';

/** Top-level keys that say nothing about the connector, so they never change its hash. */
const UNHASHED_KEYS = new Set(['version', '$schema']);

/** A copy of a JSON value with every object's keys in sorted order (recursively); arrays keep their order. */
export function canonicalize<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item) => canonicalize(item)) as T;
  if (value === null || typeof value !== 'object') return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const item = canonicalize((value as Record<string, unknown>)[key]);
    // Assignment keeps the object fast (defineProperty for every key made each one a slow
    // dictionary, half the cost of a hash); an own `__proto__` key (e.g. from JSON.parse) would
    // set the prototype by assignment, so it alone is defined as data.
    if (key === '__proto__')
      Object.defineProperty(sorted, key, {
        value: item,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    else sorted[key] = item;
  }
  return sorted as T;
}

/**
 * The content hash of a manifest: sha256 hex of its canonical JSON without the top-level
 * `version` (which manifest-sync assigns) and `$schema` (editor help), and without an `auth_mode`
 * that only writes out what its `oauth` block implies, so every manifest written before
 * `auth_mode` keeps its hash when the default is spelled out. Equal hashes mean no change.
 */
export function hashManifest(manifest: Manifest): string {
  const content: Record<string, unknown> = {};
  const impliedMode = isImpliedAuthMode(manifest as unknown as Record<string, unknown>);
  for (const [key, value] of Object.entries(manifest)) {
    if (UNHASHED_KEYS.has(key) || (key === 'auth_mode' && impliedMode)) continue;
    content[key] = value;
  }
  return createHash('sha256')
    .update(JSON.stringify(canonicalize(content)))
    .digest('hex');
}
