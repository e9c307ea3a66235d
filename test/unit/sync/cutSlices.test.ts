import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ManifestFile } from '../../../src/plan/types.js';
import { cutEvery, cutSlices, type Read, SLICE, splitSlice } from '../../../src/sync/planSlices.js';
import { buildCommit } from '../../helpers/planBuilder.js';

/** A commit touching `count` manifests named `<name>-<i>`, each with its own blob. */
function commitOf(name: string, count: number): Read {
  const entries: ManifestFile[] = Array.from({ length: count }, (_, i) => ({
    path: `manifests/${name}-${i}.json`,
    slug: `${name}-${i}`,
    oid: `${name}-${i}`,
    text: null,
  }));
  return { commit: buildCommit(name.padEnd(40, '0')), entries };
}

/** A slice as its parts' commit names and manifest counts, e.g. `a:100 a:100 b:3`. */
function shape(group: readonly Read[]): string {
  return group
    .map((part) => `${part.commit.sha.replace(/0+$/, '')}:${part.entries.length}`)
    .join(' ');
}

const entriesOf = (groups: readonly (readonly Read[])[]) =>
  groups.flatMap((group) => group.flatMap((part) => part.entries));

describe('cutSlices: a step in slices of at most 1,000 manifests, commits in parts of 100', () => {
  it.each([
    { reads: [commitOf('a', 3)], slices: ['a:3'] },
    {
      reads: [commitOf('a', 250), commitOf('b', 900)],
      slices: ['a:100 a:100 a:50 b:100 b:100 b:100 b:100 b:100 b:100 b:100 b:50', 'b:100 b:50'],
    },
    { reads: [commitOf('a', 0), commitOf('b', 1)], slices: ['b:1'] },
  ])('$slices', ({ reads, slices }) => {
    expect(cutSlices(reads).map(shape)).toEqual(slices);
  });

  it('keeps every manifest once, in order, at most SLICE a slice (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 2_500 }), { maxLength: 5 }), (counts) => {
        const reads = counts.map((count, i) => commitOf(`c${i}`, count));
        const groups = cutSlices(reads);
        expect(entriesOf(groups)).toEqual(reads.flatMap((read) => read.entries));
        for (const group of groups) {
          expect(entriesOf([group]).length).toBeGreaterThan(0);
          expect(entriesOf([group]).length).toBeLessThanOrEqual(SLICE);
          for (const part of group) expect(part.entries.length).toBeLessThanOrEqual(100);
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe('splitSlice: a slice ended where git stopped reading (its bytes were spent)', () => {
  const slice = [commitOf('a', 100), commitOf('b', 30)];

  it.each([
    { count: 130, kept: 'a:100 b:30', rest: '' },
    { count: 100, kept: 'a:100', rest: 'b:30' },
    { count: 16, kept: 'a:16', rest: 'a:84 b:30' },
    { count: 101, kept: 'a:100 b:1', rest: 'b:29' },
  ])('after $count manifests: $kept | $rest', ({ count, kept, rest }) => {
    const [head, tail] = splitSlice(slice, count);
    expect([shape(head), shape(tail)]).toEqual([kept, rest]);
  });

  it('keeps the slice whole, in order, across the cut (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 10 }),
        fc.nat(1_000),
        (counts, at) => {
          const group = counts.map((count, i) => commitOf(`c${i}`, count));
          const total = entriesOf([group]).length;
          const [kept, rest] = splitSlice(group, at);
          expect(entriesOf([kept]).length).toBe(Math.min(at, total));
          expect([...entriesOf([kept]), ...entriesOf([rest])]).toEqual(entriesOf([group]));
          for (const part of [...kept, ...rest]) expect(part.entries.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('cutEvery: the rest of a split slice, in slices twice as large as what fitted', () => {
  it.each([
    { size: 32, slices: ['a:32', 'a:32', 'a:20 b:12', 'b:18'] },
    { size: 200, slices: ['a:84 b:30'] },
    { size: 0, slices: Array.from({ length: 5 }, () => 'a:1') },
  ])('every $size', ({ size, slices }) => {
    const rest = size === 0 ? [commitOf('a', 5)] : [commitOf('a', 84), commitOf('b', 30)];
    expect(cutEvery(rest, size).map(shape)).toEqual(slices);
  });
});
