import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffManifestTrees } from '../../../src/git/treeDiff.js';
import type { FileChange } from '../../../src/git/types.js';

// Raw tree objects built here, in git's order, and diffed against what a set comparison of their
// manifests says changed: the walk may step over what both trees share, never miss a change.
const HASH_BYTES = 20;

/** One file of a folder tree: its name and a blob id (40 hex digits). */
interface File {
  name: string;
  oid: string;
}

/** A raw tree object (`<mode> <name>\0<hash>` per entry) of regular files, sorted as git sorts. */
function rawTree(files: readonly File[]): Buffer {
  const sorted = [...files].sort((x, y) =>
    Buffer.compare(Buffer.from(x.name), Buffer.from(y.name)),
  );
  return Buffer.concat(
    sorted.flatMap((file) => [Buffer.from(`100644 ${file.name}\0`), Buffer.from(file.oid, 'hex')]),
  );
}

/** The changes from `before` to `after` by name, as git reports them; null when git may see a rename. */
function expectedChanges(before: readonly File[], after: readonly File[]): FileChange[] | null {
  const old = new Map(before.map((file) => [file.name, file.oid]));
  const now = new Map(after.map((file) => [file.name, file.oid]));
  const names = [...new Set([...old.keys(), ...now.keys()])]
    .filter((name) => name.endsWith('.json'))
    .sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
  const changes: FileChange[] = [];
  for (const name of names) {
    const path = `manifests/${name}`;
    const from = old.get(name);
    const to = now.get(name);
    if (from === to) continue;
    if (from === undefined)
      changes.push({
        status: 'added',
        oldPath: null,
        newPath: path,
        oldOid: null,
        newOid: to ?? null,
      });
    else if (to === undefined)
      changes.push({ status: 'deleted', oldPath: path, newPath: null, oldOid: from, newOid: null });
    else
      changes.push({ status: 'modified', oldPath: path, newPath: path, oldOid: from, newOid: to });
  }
  const statuses = new Set(changes.map((change) => change.status));
  return statuses.has('added') && statuses.has('deleted') ? null : changes;
}

const oid = (n: number) => n.toString(16).padStart(40, '0');
const files = (names: readonly string[], salt = 0) =>
  names.map((name, i) => ({ name, oid: oid(i + 1 + salt) }));
const diff = (before: readonly File[], after: readonly File[]) =>
  diffManifestTrees(rawTree(before), rawTree(after), 'manifests', HASH_BYTES);

describe('diffManifestTrees', () => {
  const base = files(['a.json', 'ab.json', 'b.json', 'notes.txt', 'z.json']);
  const edit = (name: string) =>
    base.map((file) => (file.name === name ? { ...file, oid: oid(999) } : file));

  it.each([
    ['the first entry', 'a.json'],
    ['an entry whose name starts as the one before it', 'ab.json'],
    ['an entry in the middle', 'b.json'],
    ['the last entry', 'z.json'],
  ])('finds a change to %s', (_, name) => {
    expect(diff(base, edit(name))).toEqual(expectedChanges(base, edit(name)));
    expect(diff(base, edit(name))).toHaveLength(1);
  });

  it('finds nothing between the same bytes, and no change in a file that is no manifest', () => {
    expect(diff(base, base)).toEqual([]);
    expect(diff(base, edit('notes.txt'))).toEqual([]);
  });

  it('finds an added and a removed manifest next to the bytes both trees share', () => {
    const added = [...base, { name: 'aa.json', oid: oid(500) }];
    expect(diff(base, added)).toEqual([
      {
        status: 'added',
        oldPath: null,
        newPath: 'manifests/aa.json',
        oldOid: null,
        newOid: oid(500),
      },
    ]);
    expect(diff(added, base)).toEqual([
      {
        status: 'deleted',
        oldPath: 'manifests/aa.json',
        newPath: null,
        oldOid: oid(500),
        newOid: null,
      },
    ]);
    expect(diff([], base)).toEqual(expectedChanges([], base));
    expect(diff(base, [])).toEqual(expectedChanges(base, []));
  });

  it('leaves an unsorted tree to git log where the trees differ', () => {
    const unsorted = Buffer.concat(
      ['b.json', 'a.json'].flatMap((name, i) => [
        Buffer.from(`100644 ${name}\0`),
        Buffer.from(oid(i + 50), 'hex'),
      ]),
    );
    expect(
      diffManifestTrees(rawTree(base.slice(0, 1)), unsorted, 'manifests', HASH_BYTES),
    ).toBeNull();
  });

  it('leaves a cut tree to git log', () => {
    const tree = rawTree(base);
    expect(
      diffManifestTrees(tree, tree.subarray(0, tree.length - 3), 'manifests', HASH_BYTES),
    ).toBeNull();
  });

  it('reports what a comparison by name reports, for any two folders', () => {
    const name = fc
      .stringMatching(/^[a-z0-9-]{1,12}$/)
      .chain((stem) => fc.constantFrom(`${stem}.json`, `${stem}.txt`));
    const folder = fc.uniqueArray(name, { maxLength: 300 });
    const step = fc.tuple(folder, fc.nat({ max: 3 }), fc.array(fc.nat(), { maxLength: 12 }));
    fc.assert(
      fc.property(step, fc.array(name, { maxLength: 5 }), ([names, mode, picks], added) => {
        const before = files(names);
        // Edited, removed or both, at the picked places; then some added (names may repeat: kept once).
        const picked = new Set<string | undefined>(
          picks.map((pick) => names[pick % Math.max(1, names.length)]),
        );
        const after = before
          .filter((file) => !(mode & 1 && picked.has(file.name) && file.name.length % 2 === 0))
          .map((file) => (mode & 2 && picked.has(file.name) ? { ...file, oid: oid(7777) } : file));
        const present = new Set(after.map((file) => file.name));
        after.push(
          ...files(
            [...new Set(added)].filter((n) => !present.has(n)),
            5000,
          ),
        );
        expect(diff(before, after)).toEqual(expectedChanges(before, after));
      }),
      { numRuns: 300 },
    );
  });
});
