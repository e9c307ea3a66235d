import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findStoreProblems } from '../../../src/manifest/storable.js';

/** JSON values as JSON.parse makes them, with an own `__proto__` key now and then. */
const json = fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.parse(JSON.stringify(value)));

/** Puts `bad` at a path chosen by `picks` inside `value`; returns the new value and the pointer. */
function plant(value: unknown, bad: unknown, picks: number[]): { value: unknown; pointer: string } {
  const [pick, ...rest] = picks;
  if (pick === undefined || value === null || typeof value !== 'object') {
    return { value: bad, pointer: '' };
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return { value: [bad], pointer: '/0' };
    const index = pick % value.length;
    const inner = plant(value[index], bad, rest);
    const copy = [...value];
    copy[index] = inner.value;
    return { value: copy, pointer: `/${index}${inner.pointer}` };
  }
  const keys = Object.keys(value);
  const key = keys.length === 0 ? 'k' : (keys[pick % keys.length] as string);
  const inner = plant((value as Record<string, unknown>)[key], bad, rest);
  const copy = JSON.parse(JSON.stringify(value));
  Object.defineProperty(copy, key, { value: inner.value, enumerable: true, writable: true });
  const escaped = key.replaceAll('~', '~0').replaceAll('/', '~1');
  return { value: copy, pointer: `/${escaped}${inner.pointer}` };
}

describe('findStoreProblems', () => {
  it('finds nothing in JSON without NUL, lone surrogates or huge numbers', () => {
    fc.assert(
      fc.property(json, (value) => {
        // JSON.stringify escapes NUL and lone surrogates, so their escapes are all to look for.
        fc.pre(!/\\u0000|\\ud[89a-f]/i.test(JSON.stringify(value)));
        expect(findStoreProblems(value)).toEqual([]);
      }),
    );
  });

  it('names the one unstorable value planted anywhere, at its pointer', () => {
    const bad = fc.constantFrom('a\u0000b', '\ud800', 'x\udfff', Number.POSITIVE_INFINITY);
    fc.assert(
      fc.property(
        json.filter((value) => !/\\u0000|\\ud[89a-f]/i.test(JSON.stringify(value))),
        bad,
        fc.array(fc.nat(), { maxLength: 5 }),
        (value, planted, picks) => {
          const { value: tainted, pointer } = plant(value, planted, picks);
          const problems = findStoreProblems(tainted);
          expect(problems.map((problem) => problem.pointer)).toEqual([pointer]);
          expect(problems[0]?.code).toBe(
            typeof planted === 'number' ? 'unstorable-number' : 'unstorable-text',
          );
        },
      ),
    );
  });

  it('names an unstorable key by the pointer to it', () => {
    expect(findStoreProblems({ a: { 'b\u0000': 1 } }).map((p) => p.pointer)).toEqual([
      '/a/b\u0000',
    ]);
  });
});
