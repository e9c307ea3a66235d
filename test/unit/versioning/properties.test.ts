import fc from 'fast-check';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import {
  diffManifests,
  nextVersion,
  overallBump,
  summarize,
} from '../../../src/versioning/index.js';
import type { Bump } from '../../../src/versioning/types.js';
import { manifestArbitrary, versionArbitrary } from './arbitraries.js';
import { valueAt } from './edits.js';

const ORDER: Bump[] = ['none', 'patch', 'minor', 'major'];
const bumpArbitrary = fc.constantFrom<Bump>(...ORDER);
const policyArbitrary = fc.constantFrom('auto' as const, 'strict' as const);

describe('diffManifests properties', () => {
  it('a manifest diffed with itself (or a copy) has no changes', () => {
    fc.assert(
      fc.property(manifestArbitrary, (manifest) => {
        expect(diffManifests(manifest, manifest)).toEqual([]);
        expect(overallBump(diffManifests(manifest, structuredClone(manifest)))).toBe('none');
      }),
    );
  });

  it('shuffled keys and another version diff to none', () => {
    fc.assert(
      fc.property(manifestArbitrary, fc.integer(), (manifest, seed) => {
        const shuffled = { ...shuffleKeys(manifest, seed), version: '7.7.7' } as typeof manifest;
        expect(diffManifests(manifest, shuffled)).toEqual([]);
      }),
    );
  });

  it('has changes exactly when the content (apart from version) differs', () => {
    fc.assert(
      fc.property(manifestArbitrary, manifestArbitrary, (old, next) => {
        const changes = diffManifests(old, next);
        expect(changes.length === 0).toBe(contentText(old) === contentText(next));
      }),
      { numRuns: 500 },
    );
  });

  it('the overall bump is the largest bump of the changes, and summarize gives their reasons', () => {
    fc.assert(
      fc.property(manifestArbitrary, manifestArbitrary, (old, next) => {
        const changes = diffManifests(old, next);
        const largest = ORDER[Math.max(0, ...changes.map((c) => ORDER.indexOf(c.bump)))];
        expect(overallBump(changes)).toBe(largest);
        expect(summarize(changes)).toEqual(
          changes.filter((c) => c.bump === largest && largest !== 'none').map((c) => c.reason),
        );
      }),
    );
  });

  it('is deterministic, sorted by path, and every path points into one of the manifests', () => {
    fc.assert(
      fc.property(manifestArbitrary, manifestArbitrary, (old, next) => {
        const changes = diffManifests(old, next);
        expect(diffManifests(structuredClone(old), structuredClone(next))).toEqual(changes);
        const paths = changes.map((c) => c.path);
        expect(paths).toEqual([...paths].sort());
        for (const change of changes) {
          expect(change.bump).not.toBe('none');
          expect(change.reason.length).toBeGreaterThan(10);
          const found = valueAt(old, change.path) ?? valueAt(next, change.path);
          expect(found, change.path).not.toBeUndefined();
        }
      }),
    );
  });

  it('added in one direction is removed in the other', () => {
    fc.assert(
      fc.property(manifestArbitrary, manifestArbitrary, (old, next) => {
        const flip = { added: 'removed', removed: 'added', changed: 'changed' } as const;
        const forward = diffManifests(old, next).map((c) => `${c.path} ${flip[c.kind]}`);
        const backward = diffManifests(next, old).map((c) => `${c.path} ${c.kind}`);
        expect(new Set(backward)).toEqual(new Set(forward));
      }),
    );
  });
});

describe('nextVersion properties', () => {
  it('a new version is always greater than the latest, and as high as the bump requires', () => {
    fc.assert(
      fc.property(
        versionArbitrary,
        fc.option(versionArbitrary, { nil: undefined }),
        bumpArbitrary,
        policyArbitrary,
        (latest, file, bump, policy) => {
          const decision = nextVersion(latest, file, bump, policy);
          if (!decision.ok || decision.version === null) return;
          expect(semver.gt(decision.version, latest)).toBe(true);
          if (bump === 'none') return;
          const required = semver.inc(latest, bump) ?? '';
          const release = `${semver.major(decision.version)}.${semver.minor(decision.version)}.${semver.patch(decision.version)}`;
          expect(semver.gte(release, required)).toBe(true);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('under auto, changed content always gets a new version; unchanged content only when asked', () => {
    fc.assert(
      fc.property(
        versionArbitrary,
        fc.option(versionArbitrary, { nil: undefined }),
        bumpArbitrary,
        (latest, file, bump) => {
          const decision = nextVersion(latest, file, bump, 'auto');
          expect(decision.ok).toBe(true);
          if (!decision.ok) return;
          const asked = file !== undefined && semver.gt(file, latest);
          expect(decision.version !== null).toBe(bump !== 'none' || asked);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('strict refuses exactly what auto has to raise', () => {
    fc.assert(
      fc.property(
        versionArbitrary,
        fc.option(versionArbitrary, { nil: undefined }),
        bumpArbitrary,
        (latest, file, bump) => {
          const lenient = nextVersion(latest, file, bump, 'auto');
          const strict = nextVersion(latest, file, bump, 'strict');
          const raised =
            lenient.ok &&
            lenient.version !== null &&
            file !== undefined &&
            lenient.version !== file;
          expect(strict.ok).toBe(!raised);
          if (strict.ok) expect(strict.version).toBe(lenient.ok ? lenient.version : undefined);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

/** Canonical text of a manifest without `version` and `$schema`: an independent equality. */
function contentText(manifest: object): string {
  const { version: _version, $schema: _schema, ...content } = manifest as Record<string, unknown>;
  const sort = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(sort);
    if (typeof value !== 'object' || value === null) return value;
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sort((value as Record<string, unknown>)[key])]),
    );
  };
  return JSON.stringify(sort(content));
}

/** A copy with every object's keys in a seeded random order. */
function shuffleKeys<T>(value: T, seed: number): T {
  let state = seed >>> 0;
  const random = () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const shuffle = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(shuffle);
    if (typeof v !== 'object' || v === null) return v;
    const entries = Object.entries(v).map(([k, x]) => [k, shuffle(x)] as const);
    for (let i = entries.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [entries[i], entries[j]] = [
        entries[j] as (typeof entries)[number],
        entries[i] as (typeof entries)[number],
      ];
    }
    return Object.fromEntries(entries);
  };
  return shuffle(value) as T;
}
