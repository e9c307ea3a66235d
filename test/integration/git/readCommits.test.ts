import { execFileSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type GitRepository, openRepository } from '../../../src/git/index.js';
import { LogParser } from '../../../src/git/logParser.js';
import { commitRangeArgs } from '../../../src/git/readCommits.js';
import type { FileChange } from '../../../src/git/types.js';
import { collect, createTempRepo, type TempRepo } from '../../helpers/gitRepo.js';

let repo: TempRepo;
let git: GitRepository;

beforeEach(async () => {
  repo = createTempRepo();
  repo.write('README.md', '# registry\n');
  repo.commit('root');
  git = await openRepository({ path: repo.path });
});

afterEach(async () => {
  await git.close();
  repo.cleanup();
});

/** The commits after `since` up to HEAD, in the default `manifests` directory. */
function readAfter(since: string | null, dir = 'manifests') {
  return collect(git.readCommits({ since, until: 'HEAD', dir }));
}

function summary(changes: FileChange[]): string[] {
  return changes.map((c) => `${c.status} ${c.oldPath ?? '-'} -> ${c.newPath ?? '-'}`).sort();
}

describe('readCommits', () => {
  it('detects added, modified, deleted and renamed manifests with their blob ids', async () => {
    const base = repo.revParse();
    repo.write('manifests/a.json', '{"a":1}');
    repo.write('manifests/b.json', '{"b":1}');
    repo.write('manifests/c.json', '{"c":"a long enough body for rename detection to match"}');
    const added = repo.commit('add three');
    repo.write('manifests/a.json', '{"a":2}');
    repo.remove('manifests/b.json');
    repo.rename('manifests/c.json', 'manifests/d.json');
    const edited = repo.commit('modify, delete, rename');

    const commits = await readAfter(base);
    expect(commits.map((c) => c.sha)).toEqual([added, edited]);
    expect(summary(commits[0]?.changes ?? [])).toEqual([
      'added - -> manifests/a.json',
      'added - -> manifests/b.json',
      'added - -> manifests/c.json',
    ]);
    const changes = commits[1]?.changes ?? [];
    expect(summary(changes)).toEqual([
      'deleted manifests/b.json -> -',
      'modified manifests/a.json -> manifests/a.json',
      'renamed manifests/c.json -> manifests/d.json',
    ]);
    const modified = changes.find((c) => c.status === 'modified');
    expect(await git.readBlob(modified?.oldOid ?? '')).toBe('{"a":1}');
    expect(await git.readBlob(modified?.newOid ?? '')).toBe('{"a":2}');
    const deleted = changes.find((c) => c.status === 'deleted');
    expect(deleted?.newOid).toBeNull();
    expect(await git.readBlob(deleted?.oldOid ?? '')).toBe('{"b":1}');
    const renamed = changes.find((c) => c.status === 'renamed');
    expect(renamed?.oldOid).toBe(renamed?.newOid);
  });

  it('reads commit metadata: parents, author, dates and the full message', async () => {
    const parent = repo.revParse();
    const date = new Date('2024-03-01T12:34:56Z');
    repo.write('manifests/a.json', '{}');
    const sha = repo.commit('Add a\n\nWith a body line.\n', {
      author: { name: 'Zoë Ünïcode', email: 'zoe@example.com' },
      date,
    });
    const [commit] = await readAfter(parent);
    expect(commit).toMatchObject({
      sha,
      parents: [parent],
      authorName: 'Zoë Ünïcode',
      authorEmail: 'zoe@example.com',
      message: 'Add a\n\nWith a body line.',
    });
    expect(commit?.authoredAt.toISOString()).toBe(date.toISOString());
    expect(commit?.committedAt.toISOString()).toBe(date.toISOString());
    expect(await git.readCommit(sha)).toEqual({ ...commit, changes: undefined });
  });

  it('walks from the root when since is null, including commits that touch no manifest', async () => {
    const root = repo.revParse();
    repo.write('manifests/a.json', '{}');
    const withManifest = repo.commit('manifest');
    repo.write('docs/guide.md', 'text');
    const docsOnly = repo.commit('docs only');
    const empty = repo.commit('empty');

    const commits = await readAfter(null);
    expect(commits.map((c) => c.sha)).toEqual([root, withManifest, docsOnly, empty]);
    expect(commits.map((c) => c.changes.length)).toEqual([0, 1, 0, 0]);
    expect(commits[0]?.parents).toEqual([]);
    expect(await git.countCommits({ since: null, until: 'HEAD' })).toBe(4);
  });

  it('follows the first parent across a merge, diffing the merge against its first parent', async () => {
    const base = repo.revParse();
    repo.write('manifests/a.json', '{"v":1}');
    const onMain = repo.commit('main: a');
    repo.branch('feature');
    repo.checkout('feature');
    repo.write('manifests/f.json', '{"f":1}');
    repo.commit('feature: f');
    repo.write('manifests/f.json', '{"f":2}');
    repo.write('manifests/g.json', '{"g":1}');
    repo.commit('feature: f again, g');
    repo.checkout('main');
    repo.write('manifests/a.json', '{"v":2}');
    const mainAgain = repo.commit('main: a again');
    const merge = repo.merge('feature', 'Merge feature');

    const commits = await readAfter(base);
    expect(commits.map((c) => c.sha)).toEqual([onMain, mainAgain, merge]);
    const last = commits[2];
    expect(last?.parents).toHaveLength(2);
    expect(last?.parents[0]).toBe(mainAgain);
    expect(summary(last?.changes ?? [])).toEqual([
      'added - -> manifests/f.json',
      'added - -> manifests/g.json',
    ]);
    const f = last?.changes.find((c) => c.newPath === 'manifests/f.json');
    expect(await git.readBlob(f?.newOid ?? '')).toBe('{"f":2}');
    expect(await git.countCommits({ since: base, until: merge })).toBe(3);
  });

  it('honours since (exclusive) and until (inclusive), accepting any revision name', async () => {
    const shas: string[] = [];
    for (let i = 1; i <= 5; i++) {
      repo.write(`manifests/m${i}.json`, `{"i":${i}}`);
      shas.push(repo.commit(`commit ${i}`));
    }
    repo.git('tag', 'v3', shas[2] ?? '');
    const range = await collect(
      git.readCommits({ since: shas[0] ?? '', until: 'v3', dir: 'manifests' }),
    );
    expect(range.map((c) => c.sha)).toEqual([shas[1], shas[2]]);
    expect(range.map((c) => c.changes[0]?.newPath)).toEqual([
      'manifests/m2.json',
      'manifests/m3.json',
    ]);
    expect(await git.countCommits({ since: shas[0] ?? '', until: 'v3' })).toBe(2);
    expect(await readAfter(shas[4] ?? '')).toEqual([]);
    expect(await git.countCommits({ since: 'HEAD', until: 'HEAD' })).toBe(0);
  });

  it('ignores files outside the directory, in subfolders, and not ending in .json', async () => {
    const base = repo.revParse();
    repo.write('manifests/sub/nested.json', '{}');
    repo.write('other/x.json', '{}');
    repo.write('manifests/notes.txt', 'x');
    repo.write('manifests/.json', '{}');
    repo.write('manifests.json', '{}');
    repo.write('manifests/ok.json', '{}');
    repo.commit('mixed');
    const [commit] = await readAfter(base);
    expect(summary(commit?.changes ?? [])).toEqual(['added - -> manifests/ok.json']);
  });

  it('treats a rename into the directory as an add and out of it as a delete', async () => {
    const body = '{"name":"a manifest with enough content to be recognised as a rename"}';
    repo.write('drafts/x.json', body);
    repo.write('manifests/y.json', '{"name":"y","unrelated":[1,2,3,4,5,6,7,8,9,10,11,12,13,14]}');
    const base = repo.commit('drafts');
    repo.rename('drafts/x.json', 'manifests/x.json');
    repo.rename('manifests/y.json', 'manifests/archive/y.json');
    repo.commit('move');
    const [commit] = await readAfter(base);
    expect(summary(commit?.changes ?? [])).toEqual([
      'added - -> manifests/x.json',
      'deleted manifests/y.json -> -',
    ]);
  });

  it('handles odd file names: spaces, unicode, quotes, a leading dash', async () => {
    const base = repo.revParse();
    const names = [
      'with space.json',
      'ünï-cødé 日本.json',
      'quote"s.json',
      '-dash.json',
      'tab\tname.json',
    ];
    for (const name of names) repo.write(`manifests/${name}`, JSON.stringify({ name }));
    repo.commit('odd names');
    const [commit] = await readAfter(base);
    const paths = (commit?.changes ?? []).map((c) => c.newPath);
    expect(paths.sort()).toEqual(names.map((n) => `manifests/${n}`).sort());
    const snapshot = await git.readSnapshot({ revision: 'HEAD', dir: 'manifests' });
    expect(snapshot.map((e) => e.path).sort()).toEqual(paths.sort());
    const blobs = await git.readBlobs(snapshot.map((e) => e.oid));
    for (const entry of snapshot) {
      expect(JSON.parse(blobs.get(entry.oid) ?? '')).toEqual({ name: entry.path.slice(10) });
    }
  });

  it('reads manifests at the repository root when dir is "" or "."', async () => {
    const base = repo.revParse();
    repo.write('root.json', '{}');
    repo.write('manifests/a.json', '{}');
    repo.commit('root manifests');
    for (const dir of ['', '.', './']) {
      const [commit] = await collect(git.readCommits({ since: base, until: 'HEAD', dir }));
      expect(summary(commit?.changes ?? [])).toEqual(['added - -> root.json']);
    }
  });

  it('throws UnknownRevisionError for an unknown since or until', async () => {
    await expect(readAfter('0'.repeat(40))).rejects.toMatchObject({ name: 'UnknownRevisionError' });
    await expect(
      collect(git.readCommits({ since: null, until: 'no-such-branch', dir: 'manifests' })),
    ).rejects.toMatchObject({ name: 'UnknownRevisionError', revision: 'no-such-branch' });
  });
});

describe('LogParser', () => {
  it('gives the same commits however git log output is cut into chunks', async () => {
    repo.write('manifests/ünï cødé.json', '{}');
    repo.write('manifests/b.json', '{"b":1}');
    repo.commit('Ünïcode message\n\nwith a body');
    repo.commit('');
    repo.write('manifests/b.json', '{"b":2}');
    repo.rename('manifests/ünï cødé.json', 'manifests/renamed.json');
    repo.commit('edit and rename');
    const output = execFileSync('git', commitRangeArgs(null, repo.revParse(), 'manifests'), {
      cwd: repo.path,
    });
    const whole = await readAfter(null);
    expect(whole.map((c) => c.changes.length)).toEqual([0, 2, 0, 2]);

    for (const size of [1, 2, 3, 7, 41, 1000]) {
      const parser = new LogParser('manifests');
      const commits = [];
      for (let i = 0; i < output.length; i += size) {
        commits.push(...parser.push(output.subarray(i, i + size)));
      }
      commits.push(...parser.end());
      expect(commits).toEqual(whole);
    }
  });

  it('refuses output that stops in the middle of a commit', () => {
    const parser = new LogParser('manifests');
    parser.push(Buffer.from('\x1eabc\0\0name\0'));
    expect(() => parser.end()).toThrow(/middle of a commit/);
  });
});
