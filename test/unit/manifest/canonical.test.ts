import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalize, checkManifest, hashManifest } from '../../../src/manifest/index.js';
import type { Manifest } from '../../../src/manifest/types.js';
import { buildAction, buildManifest, manifestText } from '../../helpers/manifestBuilder.js';

/** The same JSON value with every object's keys in the order `order` puts them. */
function reorder(value: unknown, order: (keys: string[]) => string[]): unknown {
  if (Array.isArray(value)) return value.map((item) => reorder(item, order));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of order(Object.keys(value)))
    out[key] = reorder((value as Record<string, unknown>)[key], order);
  return out;
}

const base = buildManifest();
const baseHash = hashManifest(base);

describe('canonicalize', () => {
  it('sorts keys at every depth and keeps array order', () => {
    const value = { b: [{ z: 1, a: 2 }, 3, 'x'], a: { d: null, c: true } };
    const canonical = canonicalize(value);
    expect(JSON.stringify(canonical)).toBe('{"a":{"c":true,"d":null},"b":[{"a":2,"z":1},3,"x"]}');
    expect(value.b[0]).toEqual({ z: 1, a: 2 });
    expect(Object.keys(value)).toEqual(['b', 'a']);
  });

  it('keeps an own __proto__ key as data', () => {
    const canonical = canonicalize(JSON.parse('{"b": 1, "__proto__": {"x": 1}}')) as object;
    expect(Object.keys(canonical)).toEqual(['__proto__', 'b']);
    expect(Object.getPrototypeOf(canonical)).toBe(Object.prototype);
  });
});

describe('hashManifest', () => {
  it('is the same for any key order', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        let state = seed;
        const shuffle = (keys: string[]) =>
          keys
            .map((key) => {
              state = (state * 1103515245 + 12345) & 0x7fffffff;
              return [state, key] as const;
            })
            .sort((a, b) => a[0] - b[0])
            .map(([, key]) => key);
        expect(hashManifest(reorder(base, shuffle) as Manifest)).toBe(baseHash);
      }),
    );
    expect(hashManifest(reorder(base, (keys) => [...keys].reverse()) as Manifest)).toBe(baseHash);
  });

  it('is the same whatever the whitespace of the file', () => {
    const compact = checkManifest(JSON.stringify(base), { file: 'gmail.json' });
    const pretty = checkManifest(manifestText(base).replaceAll('\n', '\r\n\t '), {
      file: 'gmail.json',
    });
    expect(compact.ok && compact.hash).toBe(baseHash);
    expect(pretty.ok && pretty.hash).toBe(baseHash);
  });

  it.each([
    ['a different version', { version: '7.0.0' }],
    ['no version', { version: undefined }],
    ['a $schema key', { $schema: '../schema/manifest.schema.json' }],
  ])('ignores %s', (_name, overrides) => {
    expect(hashManifest(buildManifest(overrides))).toBe(baseHash);
  });

  it.each([
    ['the name', { name: 'Google Mail' }],
    ['the status', { status: 'stable' as const }],
    ['an added scope', { oauth: { ...base.oauth, scopes: [...(base.oauth?.scopes ?? []), 'x'] } }],
    [
      'the order of scopes',
      { oauth: { ...base.oauth, scopes: [...(base.oauth?.scopes ?? [])].reverse() } },
    ],
    ['a new action', { actions: { ...base.actions, other: buildAction() } }],
    [
      'a required input',
      { actions: { send_email: buildAction({ input: { type: 'object', required: [] } }) } },
    ],
    ['an x- key', { 'x-owner': 'team' }],
    ['a number to a string', { 'x-n': 1 }],
  ])('changes with %s', (_name, overrides) => {
    expect(hashManifest(buildManifest(overrides))).not.toBe(baseHash);
  });

  it('tells a number from a string', () => {
    expect(hashManifest(buildManifest({ 'x-n': 1 }))).not.toBe(
      hashManifest(buildManifest({ 'x-n': '1' })),
    );
  });

  it('is sha256 hex', () => {
    expect(baseHash).toMatch(/^[0-9a-f]{64}$/);
  });
});
