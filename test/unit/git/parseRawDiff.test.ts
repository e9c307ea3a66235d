import { describe, expect, it } from 'vitest';
import { parseRawDiff } from '../../../src/git/diffRevisions.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const Z = '0'.repeat(40);
const raw = (...tokens: string[]) => Buffer.from(`${tokens.join('\0')}\0`);

describe('parseRawDiff', () => {
  it.each([
    [
      'modified',
      raw(`:100644 100644 ${A} ${B} M`, 'm/a.json'),
      [['modified', 'm/a.json', 'm/a.json']],
    ],
    ['added', raw(`:000000 100644 ${Z} ${B} A`, 'm/a.json'), [['added', null, 'm/a.json']]],
    ['deleted', raw(`:100644 000000 ${A} ${Z} D`, 'm/a.json'), [['deleted', 'm/a.json', null]]],
    [
      'renamed, two paths',
      raw(`:100644 100644 ${A} ${B} R087`, 'm/a.json', 'm/b.json'),
      [['renamed', 'm/a.json', 'm/b.json']],
    ],
    [
      'out of the directory, nested, not JSON, a symlink: dropped or a deletion',
      raw(
        `:100644 100644 ${A} ${B} R100`,
        'm/a.json',
        'other/a.json',
        `:000000 100644 ${Z} ${B} A`,
        'm/sub/x.json',
        `:000000 100644 ${Z} ${B} A`,
        'm/readme.md',
        `:000000 120000 ${Z} ${B} A`,
        'm/link.json',
      ),
      [['deleted', 'm/a.json', null]],
    ],
    [
      'a name with a newline and a tab',
      raw(`:000000 100644 ${Z} ${B} A`, 'm/a\n\tb.json'),
      [['added', null, 'm/a\n\tb.json']],
    ],
    ['nothing', Buffer.alloc(0), []],
  ])('%s', (_name, output, expected) => {
    expect(parseRawDiff(output, 'm').map((c) => [c.status, c.oldPath, c.newPath])).toEqual(
      expected,
    );
  });

  it('refuses output it does not understand, by name', () => {
    expect(() => parseRawDiff(raw('garbage'), 'm')).toThrow(/unexpected git diff-tree output/);
    expect(() =>
      parseRawDiff(Buffer.from(`:100644 100644 ${A} ${B} R100\0m/a.json\0`), 'm'),
    ).toThrow(/ended in the middle of an entry/);
  });
});
