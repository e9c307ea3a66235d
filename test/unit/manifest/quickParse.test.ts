import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJson } from '../../../src/manifest/parse.js';
import { parseJsonQuickly } from '../../../src/manifest/quickParse.js';

describe('parseJsonQuickly', () => {
  it.each([
    ['a duplicate key', '{"a": 1, "b": {"c": 2, "c": 3}}'],
    ['a duplicate key after an escaped quote', '{"x\\"": 1, "y": "\\": no key", "x\\"": 2}'],
    ['a forbidden key', '{"a": {"__proto__": {"polluted": true}}}'],
    ['a constructor key', '{"constructor": 1}'],
    ['a byte order mark', '\uFEFF{"a": 1}'],
    ['an array', '[1, 2]'],
    ['a string', '"text"'],
    ['invalid JSON', '{"a": 1,}'],
    ['nesting deeper than parseJson allows', `{"a": ${'['.repeat(300)}${']'.repeat(300)}}`],
  ])('leaves %s to parseJson', (_name, text) => {
    expect(parseJsonQuickly(text)).toBeUndefined();
  });

  it('counts keys, not strings that look like keys inside values', () => {
    const text = '{"a": "b\\": c", "d": ["e:", "f\\\\"], "g" : {"h":"i"}}';
    expect(parseJsonQuickly(text)).toEqual({ a: 'b": c', d: ['e:', 'f\\'], g: { h: 'i' } });
  });

  it('returns exactly what parseJson returns whenever parseJson finds no problem', () => {
    const key = fc.oneof(
      fc.string(),
      fc.constantFrom('a', 'b', '__proto__', '0', '1', 'x"y', 'z\\'),
    );
    const value = fc.letrec((tie) => ({
      leaf: fc.oneof(
        fc.string(),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.boolean(),
        fc.constant(null),
      ),
      node: fc.oneof({ depthSize: 'small' }, tie('leaf'), fc.array(tie('node')), tie('object')),
      object: fc.array(fc.tuple(key, tie('node')), { maxLength: 5 }),
    }));
    const render = (v: unknown): string => {
      if (
        Array.isArray(v) &&
        v.every((e) => Array.isArray(e) && e.length === 2 && typeof e[0] === 'string')
      ) {
        // An object written member by member, so duplicate keys reach the text.
        return `{${(v as [string, unknown][]).map(([k, x]) => `${JSON.stringify(k)}: ${render(x)}`).join(', ')}}`;
      }
      if (Array.isArray(v)) return `[${v.map(render).join(',')}]`;
      return JSON.stringify(v);
    };
    fc.assert(
      fc.property(fc.array(fc.tuple(key, value.node), { maxLength: 6 }), (members) => {
        const text = render(members);
        const careful = parseJson(text, 'm.json');
        const quick = parseJsonQuickly(text);
        if (careful.problems.length > 0) expect(quick).toBeUndefined();
        else expect(quick).toEqual(careful.value);
      }),
      { numRuns: 2000 },
    );
  });
});
