import { describe, expect, it } from 'vitest';
import type { FileChange } from '../../../src/git/types.js';
import { computeCheckEntries } from '../../../src/plan/checkEntries.js';
import type { PlanDecision } from '../../../src/plan/types.js';

const decision = (slug: string, action: PlanDecision['action']): PlanDecision => ({
  slug,
  file: `m/${slug}.json`,
  action,
  from: null,
  to: null,
  bump: 'none',
  reasons: [action],
});

const change = (
  status: FileChange['status'],
  oldPath: string | null,
  newPath: string | null,
): FileChange => ({
  status,
  oldPath,
  newPath,
  oldOid: oldPath ? '1'.repeat(40) : null,
  newOid: newPath ? '2'.repeat(40) : null,
});

describe('computeCheckEntries', () => {
  const cases: [string, FileChange[], PlanDecision[], [string, string, string | null, string][]][] =
    [
      [
        'added',
        [change('added', null, 'm/a.json')],
        [decision('a', 'create')],
        [['a', 'added', null, 'create']],
      ],
      [
        'modified',
        [change('modified', 'm/a.json', 'm/a.json')],
        [decision('a', 'version')],
        [['a', 'changed', null, 'version']],
      ],
      [
        'deleted',
        [change('deleted', 'm/a.json', null)],
        [decision('a', 'deprecate')],
        [['a', 'deleted', null, 'deprecate']],
      ],
      [
        'renamed: the new slug renamed, the old one deleted',
        [change('renamed', 'm/a.json', 'm/b.json')],
        [decision('a', 'deprecate'), decision('b', 'create')],
        [
          ['a', 'deleted', null, 'deprecate'],
          ['b', 'renamed', 'm/a.json', 'create'],
        ],
      ],
      [
        'deleted with nothing to deprecate still listed',
        [change('deleted', 'm/a.json', null)],
        [],
        [['a', 'deleted', null, 'unchanged']],
      ],
      [
        'a file deleted and another added under its slug is a change',
        [change('deleted', 'm/a.json', null), change('added', null, 'm/a.json')],
        [decision('a', 'version')],
        [['a', 'changed', null, 'version']],
      ],
    ];
  it.each(cases)('%s', (_name, changes, decisions, expected) => {
    const entries = computeCheckEntries({ revision: 'r', decisions, refusals: [] }, changes);
    expect(entries.map((e) => [e.slug, e.change, e.renamedFrom, e.action])).toEqual(expected);
  });

  it('attaches each refusal to its own file only', () => {
    const refusal = {
      file: 'm/b.json',
      revision: 'r',
      slug: 'b',
      pointer: '',
      code: 'x',
      message: 'm',
    };
    const entries = computeCheckEntries(
      {
        revision: 'r',
        decisions: [decision('a', 'version'), decision('b', 'refuse')],
        refusals: [refusal],
      },
      [change('modified', 'm/a.json', 'm/a.json'), change('added', null, 'm/b.json')],
    );
    expect(entries.map((e) => e.refusals.length)).toEqual([0, 1]);
  });
});
