import { describe, expect, it } from 'vitest';
import {
  type Change,
  compareBumps,
  explainBump,
  maxBump,
  overallBump,
  summarize,
} from '../../../src/versioning/index.js';
import type { Bump } from '../../../src/versioning/types.js';

const ORDER: Bump[] = ['none', 'patch', 'minor', 'major'];

function change(path: string, bump: Bump, reason = `${path} ${bump}`): Change {
  return { path, kind: 'changed', bump, reason };
}

describe('bumps', () => {
  it('orders none < patch < minor < major', () => {
    for (const [i, a] of ORDER.entries()) {
      for (const [j, b] of ORDER.entries()) {
        expect(Math.sign(compareBumps(a, b))).toBe(Math.sign(i - j));
        expect(maxBump(a, b)).toBe(ORDER[Math.max(i, j)]);
      }
    }
  });

  it.each([
    { changes: [], expected: 'none' },
    { changes: [change('/name', 'patch')], expected: 'patch' },
    {
      changes: [change('/a', 'patch'), change('/b', 'minor'), change('/c', 'patch')],
      expected: 'minor',
    },
    { changes: [change('/a', 'major'), change('/b', 'minor')], expected: 'major' },
  ])('overallBump of $changes.length changes is $expected', ({ changes, expected }) => {
    expect(overallBump(changes)).toBe(expected);
  });
});

describe('summarize and explainBump', () => {
  const changes = [
    change('/a', 'minor', 'a minor'),
    change('/b', 'major', 'first major'),
    change('/c', 'patch', 'a patch'),
    change('/d', 'major', 'second major'),
  ];

  it('returns the reasons of the changes that set the overall bump, in order', () => {
    expect(summarize(changes)).toEqual(['first major', 'second major']);
    expect(summarize([])).toEqual([]);
  });

  it('explains the bump in one line', () => {
    expect(explainBump(changes)).toBe('first major; and 1 more major change');
    expect(explainBump([change('/a', 'minor', 'only one')])).toBe('only one');
    expect(explainBump([])).toBe('no content change');
  });
});
