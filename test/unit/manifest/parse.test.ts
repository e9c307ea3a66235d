import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJson } from '../../../src/manifest/index.js';

describe('parseJson', () => {
  it('gives the same value as JSON.parse for any JSON without refused keys', () => {
    fc.assert(
      fc.property(fc.json({ stringUnit: 'binary' }), fc.boolean(), (text, pretty) => {
        const wrapped = `{"v": ${text}}`;
        const source = pretty ? JSON.stringify(JSON.parse(wrapped), null, 2) : wrapped;
        fc.pre(!/"(__proto__|constructor|prototype)"/.test(source));
        const parsed = parseJson(source, 'f.json');
        expect(parsed.problems).toEqual([]);
        expect(parsed.value).toEqual(JSON.parse(source));
      }),
    );
  });

  it('maps each pointer to where its member or item starts', () => {
    const text = '{\n  "a": {\n    "b/c": [1,\n      {"d~e": true}]\n  },\n  "f": "g"\n}';
    const { positions, problems } = parseJson(text, 'f.json');
    expect(problems).toEqual([]);
    expect(Object.fromEntries(positions)).toEqual({
      '': { line: 1, column: 1 },
      '/a': { line: 2, column: 3 },
      '/a/b~1c': { line: 3, column: 5 },
      '/a/b~1c/0': { line: 3, column: 13 },
      '/a/b~1c/1': { line: 4, column: 7 },
      '/a/b~1c/1/d~0e': { line: 4, column: 8 },
      '/f': { line: 6, column: 3 },
    });
  });

  it.each([
    ['escapes', '{"s": "a\\"b\\\\c\\/d\\n\\u00e9\\ud83d\\ude00"}', { s: 'a"b\\c/d\né😀' }],
    ['numbers', '{"n": [-0.5, 1e3, 0, 12, -3E-2]}', { n: [-0.5, 1000, 0, 12, -0.03] }],
    ['literals', '{"t": true, "f": false, "n": null}', { t: true, f: false, n: null }],
    ['a byte-order mark', '\ufeff{"a": 1}', { a: 1 }],
    [
      'keys inherited by plain objects',
      '{"toString": 1, "hasOwnProperty": 2}',
      { toString: 1, hasOwnProperty: 2 },
    ],
  ])('reads %s', (_name, text, value) => {
    const parsed = parseJson(text, 'f.json');
    expect(parsed.problems).toEqual([]);
    expect(parsed.value).toEqual(value);
  });

  it.each([
    ['a bad escape', '{"a": "\\x"}', 'invalid-json', '/a', 1, 9],
    ['a raw newline in a string', '{"a": "x\ny"}', 'invalid-json', '/a', 1, 9],
    ['an unterminated string', '{"a": "xy', 'truncated-json', '/a', 1, 10],
    ['a half literal', '{"a": tru', 'truncated-json', '/a', 1, 10],
    ['a bad literal', '{"a": nope}', 'invalid-json', '/a', 1, 7],
    ['a leading zero', '{"a": 012}', 'invalid-json', '/a', 1, 7],
    ['a single-quoted key', "{'a': 1}", 'invalid-json', '', 1, 2],
    ['a missing colon', '{"a" 1}', 'invalid-json', '/a', 1, 6],
    ['a trailing comma in a list', '{"a": [1,]}', 'invalid-json', '/a', 1, 10],
    ['text after the value', '{}\n{}', 'invalid-json', '', 2, 1],
    ['a comment', '{\n  // no\n  "a": 1}', 'invalid-json', '', 2, 3],
    ['an unclosed object', '{"a": {"b": 1}', 'truncated-json', '', 1, 15],
  ])('refuses %s with a position', (_name, text, code, pointer, line, column) => {
    const parsed = parseJson(text, 'f.json');
    expect(parsed.value).toBeUndefined();
    expect(parsed.problems).toEqual([
      expect.objectContaining({ file: 'f.json', code, pointer, line, column }),
    ]);
  });

  it('reports every duplicate key, keeps the first value and names both positions', () => {
    const text = '{\n  "a": 1,\n  "b": {"x": 1, "x": 2},\n  "a": 3\n}';
    const parsed = parseJson(text, 'f.json');
    expect(parsed.value).toEqual({ a: 1, b: { x: 1 } });
    expect(parsed.problems.map((p) => [p.pointer, p.line, p.column])).toEqual([
      ['/b/x', 3, 17],
      ['/a', 4, 3],
    ]);
    expect(parsed.problems[1]?.message).toBe(
      'duplicate key `a` at line 4, column 3 (first at line 2, column 3); the first value is kept',
    );
    expect(parsed.positions.get('/a')).toEqual({ line: 2, column: 3 });
  });

  it('keeps the positions of the first value of a duplicate key', () => {
    const parsed = parseJson('{"a": {"x": [1]},\n"a": {"x": [2]}}', 'f.json');
    expect(parsed.value).toEqual({ a: { x: [1] } });
    expect(parsed.positions.get('/a/x')).toEqual({ line: 1, column: 8 });
    expect(parsed.positions.get('/a/x/0')).toEqual({ line: 1, column: 14 });
  });

  it.each(['__proto__', 'constructor', 'prototype'])(
    'refuses the key %s without assigning it',
    (key) => {
      const parsed = parseJson(`{"a": {"${key}": {"polluted": 1}}}`, 'f.json');
      expect(parsed.problems).toEqual([
        expect.objectContaining({
          code: 'forbidden-key',
          pointer: `/a/${key}`,
          line: 1,
          column: 8,
        }),
      ]);
      const inner = (parsed.value as { a: object }).a;
      expect(Object.getPrototypeOf(inner)).toBe(Object.prototype);
      expect(Object.keys(inner)).toEqual([]);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    },
  );

  it.each([
    ['[1]', 'an array'],
    ['"x"', 'a string'],
    ['null', 'null'],
    ['3', 'a number'],
  ])('refuses the top-level value %s', (text, got) => {
    const parsed = parseJson(text, 'f.json');
    expect(parsed.problems).toEqual([
      expect.objectContaining({
        code: 'not-an-object',
        pointer: '',
        message: `a manifest must be a JSON object, not ${got}`,
      }),
    ]);
  });

  it('refuses deep nesting as a problem, not a stack overflow', () => {
    const text = `{"a": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const parsed = parseJson(text, 'f.json');
    expect(parsed.problems).toEqual([expect.objectContaining({ code: 'too-deep' })]);
  });

  it('reads a 1 MiB file', () => {
    const items = Array.from({ length: 20_000 }, (_, i) => ({
      id: `item_${i}`,
      n: i,
      ok: i % 2 === 0,
    }));
    const text = JSON.stringify({ items }, null, 2);
    expect(text.length).toBeGreaterThan(1024 * 1024);
    const parsed = parseJson(text, 'f.json');
    expect(parsed.problems).toEqual([]);
    expect(parsed.value).toEqual({ items });
    expect(parsed.positions.get('/items/19999/ok')).toEqual({
      line: text.split('\n').length - 3,
      column: 7,
    });
  });
});
