import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalize } from '../../../src/manifest/index.js';
import type { Manifest } from '../../../src/manifest/types.js';
import {
  diffManifests,
  explainBump,
  overallBump,
  withStoredWheel,
} from '../../../src/versioning/index.js';
import type { Bump } from '../../../src/versioning/types.js';
import { buildManifest } from '../../helpers/manifestBuilder.js';
import { manifestArbitrary } from './arbitraries.js';

const A = 'https://wheels.example.com/{slug}/{slug}-{version}-py3-none-any.whl';
const B = 'https://wheels.example.com/v2/{slug}-{version}-py3-none-any.whl';
const LITERAL = 'https://wheels.example.com/gmail-1.1.0-py3-none-any.whl';

const withWheel = (wheel: string | undefined, overrides: Record<string, unknown> = {}) =>
  buildManifest({ wheel_url: wheel, ...overrides });

// biome-ignore format: one row per rule reads as a table
const rows: { rule: string; old?: string; next?: string; kind: string; bump: Bump; reason: RegExp }[] = [
  { rule: 'a wheel added', next: A, kind: 'added', bump: 'patch', reason: /^`wheel_url` added \(`https:.*`\): the connector now ships code/ },
  { rule: 'the template changed', old: A, next: B, kind: 'changed', bump: 'patch', reason: /^`wheel_url` changed from `.*\{slug\}\/.*` to `.*v2.*`: a code change/ },
  { rule: 'a literal URL changed', old: LITERAL, next: LITERAL.replace('1.1.0', '1.2.0'), kind: 'changed', bump: 'patch', reason: /a code change/ },
  { rule: 'the wheel removed', old: A, kind: 'removed', bump: 'major', reason: /^`wheel_url` removed \(was `.*`\): the connector no longer ships its code/ },
];

describe('the wheel rules', () => {
  it.each(rows)('$rule: $bump', ({ old, next, kind, bump, reason }) => {
    const changes = diffManifests(withWheel(old), withWheel(next));
    expect(changes).toEqual([
      { path: '/wheel_url', kind, bump, reason: expect.stringMatching(reason) },
    ]);
    expect(overallBump(changes)).toBe(bump);
  });

  it('the same template is no change, whatever the version (the template is the content)', () => {
    expect(diffManifests(withWheel(A), withWheel(A, { version: '9.0.0' }))).toEqual([]);
  });

  it('a wheel change beside a larger change: the larger bump wins, both reasons are kept', () => {
    const next = withWheel(B, { oauth: { ...buildManifest().oauth, scopes: ['extra'] } });
    const changes = diffManifests(withWheel(A), next);
    expect(overallBump(changes)).toBe('major');
    expect(changes.map((c) => c.path)).toContain('/wheel_url');
  });

  it('a wheel change alone explains the patch bump with its reason', () => {
    expect(explainBump(diffManifests(withWheel(A), withWheel(B)))).toMatch(/a code change/);
  });

  it('a non-string wheel_url (never valid, but diffed safely) still counts as a change', () => {
    const old = withWheel(undefined, { wheel_url: 42 });
    expect(overallBump(diffManifests(old, withWheel(A)))).toBe('patch');
    expect(overallBump(diffManifests(old, withWheel(undefined)))).toBe('major');
  });
});

describe('withStoredWheel (a row made by hand with a wheel its manifest does not declare)', () => {
  it('counts the row wheel as the stored version wheel', () => {
    const stored = withStoredWheel(withWheel(undefined), LITERAL);
    expect(stored.wheel_url).toBe(LITERAL);
    const changes = diffManifests(stored, withWheel(undefined, { description: 'Mail.' }));
    expect(changes.find((c) => c.path === '/wheel_url')).toMatchObject({
      kind: 'removed',
      bump: 'major',
    });
    expect(diffManifests(stored, withWheel(A)).map((c) => [c.kind, c.bump])).toEqual([
      ['changed', 'patch'],
    ]);
  });

  it('leaves a manifest that declares its wheel, and a row without one, as they are', () => {
    const declared = withWheel(A);
    expect(withStoredWheel(declared, LITERAL)).toBe(declared);
    const none = withWheel(undefined);
    expect(withStoredWheel(none, null)).toBe(none);
  });
});

const wheelArbitrary = fc.option(fc.constantFrom(A, B, LITERAL), { nil: undefined });
const withWheelArbitrary = fc
  .tuple(manifestArbitrary, wheelArbitrary)
  .map(
    ([manifest, wheel]) =>
      (wheel === undefined ? manifest : { ...manifest, wheel_url: wheel }) as Manifest,
  );

function content(manifest: Manifest): string {
  const { version: _, ...rest } = manifest;
  return JSON.stringify(canonicalize(rest));
}

describe('wheel properties', () => {
  it('has changes exactly when the content differs, wheel included', () => {
    fc.assert(
      fc.property(withWheelArbitrary, withWheelArbitrary, (old, next) => {
        expect(diffManifests(old, next).length === 0).toBe(content(old) === content(next));
      }),
      { numRuns: 300 },
    );
  });

  it('a removed wheel is always major; an added or changed one at least a patch', () => {
    fc.assert(
      fc.property(withWheelArbitrary, withWheelArbitrary, (old, next) => {
        const bump = overallBump(diffManifests(old, next));
        if (old.wheel_url !== undefined && next.wheel_url === undefined) expect(bump).toBe('major');
        else if (old.wheel_url !== next.wheel_url) expect(bump).not.toBe('none');
      }),
      { numRuns: 300 },
    );
  });
});
