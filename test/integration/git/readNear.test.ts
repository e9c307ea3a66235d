import { execFileSync } from 'node:child_process';
import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type GitRepository, openRepository } from '../../../src/git/index.js';
import type { CommitChanges } from '../../../src/git/types.js';
import {
  collect,
  createTempRepo,
  gitChildProcesses,
  type TempRepo,
} from '../../helpers/gitRepo.js';

// A range a few first-parent steps long is read through the long-lived cat-file (commit objects,
// the folder's trees walked here); from the root, `git log` reads it. Both must say the same.
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

/** Each commit read alone after its parent (cat-file), and the whole history by `git log`. */
async function bothWays(dir: string) {
  const logged = await collect(git.readCommits({ since: null, until: 'HEAD', dir }));
  const alone: CommitChanges[] = [];
  for (const commit of logged.slice(1)) {
    const parent = commit.parents[0] as string;
    alone.push(...(await collect(git.readCommits({ since: parent, until: commit.sha, dir }))));
  }
  return { logged: logged.slice(1), alone };
}

describe('readCommits a few steps after the cursor', () => {
  it('reads what git log reads: adds, edits, deletions, modes, nested and non-manifest files', async () => {
    repo.write('manifests/a.json', '{"a":1}');
    repo.write('manifests/b.json', '{"b":1}');
    repo.write('manifests/zz.json', '{"z":1}');
    repo.commit('add', {
      author: { name: 'Ada  Lovelace ', email: 'ada@example.com' },
      date: new Date('2024-01-02T03:04:05Z'),
    });
    repo.write('manifests/a.json', '{"a":2}');
    repo.write('manifests/nested/c.json', '{}');
    repo.write('manifests/readme.md', 'hi');
    repo.write('other/d.json', '{}');
    repo.commit('edit, nested, not manifests\n\nwith a body\n\n\n');
    repo.remove('manifests/b.json');
    repo.commit('delete');
    repo.git('update-index', '--chmod=+x', 'manifests/a.json');
    repo.git('commit', '-q', '-m', 'mode only');
    repo.write('manifests/zz.json', '{"z":2}');
    repo.git('add', '-A');
    repo.git('update-index', '--chmod=-x', 'manifests/a.json');
    repo.git('commit', '-q', '-m', 'mode back and an edit');
    symlinkSync('zz.json', join(repo.path, 'manifests', 'link.json'));
    repo.commit('a symlink is no manifest');
    repo.remove('manifests/zz.json');
    repo.write('manifests/zz.json/inner.json', '{}');
    repo.commit('a manifest becomes a folder');
    repo.commit('');
    repo.branch('side');
    repo.checkout('side');
    repo.write('manifests/side.json', '{"s":1}');
    repo.commit('on a side branch');
    repo.checkout('main');
    repo.write('manifests/a.json', '{"a":3}');
    repo.commit('meanwhile on main');
    repo.merge('side', 'merge: its changes against the first parent');
    const { logged, alone } = await bothWays('manifests');
    expect(logged.length).toBe(10);
    expect(logged.at(-1)?.parents).toHaveLength(2);
    expect(alone).toEqual(logged);
    const root = await bothWays('');
    expect(root.alone).toEqual(root.logged);
  });

  it('reads a range of several commits as git log does, with the folder created and removed', async () => {
    const base = repo.revParse();
    repo.write('manifests/a.json', '{"a":1}');
    repo.commit('folder appears');
    repo.write('manifests/a.json', '{"a":2}');
    repo.commit('edit');
    repo.remove('manifests/a.json');
    repo.commit('folder gone');
    const near = await collect(git.readCommits({ since: base, until: 'HEAD', dir: 'manifests' }));
    const { logged } = await bothWays('manifests');
    expect(near).toEqual(logged);
    expect(await git.countCommits({ since: base, until: 'HEAD' })).toBe(3);
    expect(await git.listCommits({ since: base, until: 'HEAD' })).toEqual(
      repo.git('rev-list', '--first-parent', '--reverse', `${base}..HEAD`).split('\n'),
    );
    expect(near.map((c) => c.changes.map((x) => x.status))).toEqual([
      ['added'],
      ['modified'],
      ['deleted'],
    ]);
  });

  it('leaves a possible rename to git log (-M), which pairs it', async () => {
    repo.write('manifests/c.json', '{"c":"a long enough body for rename detection to match"}');
    const added = repo.commit('add');
    repo.rename('manifests/c.json', 'manifests/d.json');
    repo.commit('rename');
    const [renamed] = await collect(
      git.readCommits({ since: added, until: 'HEAD', dir: 'manifests' }),
    );
    expect(renamed?.changes.map((c) => c.status)).toEqual(['renamed']);
  });

  it('starts no process for a commit after the cursor once cat-file runs', async () => {
    repo.write('manifests/a.json', '{"a":1}');
    const cursor = repo.commit('add');
    repo.write('manifests/a.json', '{"a":2}');
    const head = repo.commit('edit');
    expect(await git.resolveRevision('refs/heads/main')).toBe(head);
    const before = gitChildProcesses().map((p) => p.pid);
    expect(await git.isAncestor(cursor, head)).toBe(true);
    const commits = await collect(
      git.readCommits({ since: cursor, until: head, dir: 'manifests' }),
    );
    expect(commits.map((c) => c.changes[0]?.status)).toEqual(['modified']);
    expect(gitChildProcesses().map((p) => p.pid)).toEqual(before);
  });

  it("trims an author name as git's %an does: a form feed or vertical tab is no space to git", async () => {
    const parent = repo.revParse();
    const tree = repo.git('rev-parse', 'HEAD^{tree}');
    const object = [
      `tree ${tree}`,
      `parent ${parent}`,
      'author Bob\f\v <bob@example.com> 1700000000 +0000',
      'committer Bob <bob@example.com> 1700000000 +0000',
      '',
      'written by another tool',
      '',
    ].join('\n');
    const args = ['hash-object', '-t', 'commit', '-w', '--stdin'];
    const sha = execFileSync('git', args, { cwd: repo.path, input: object }).toString().trim();
    repo.git('update-ref', 'refs/heads/main', sha);
    const { logged, alone } = await bothWays('manifests');
    expect(logged.map((c) => c.authorName)).toEqual(['Bob\f\v']);
    expect(alone).toEqual(logged);
  });

  it('reads hostile metadata as git log does: a year past 9999, a NUL, another encoding', async () => {
    const hashCommit = (lines: string[], body: Buffer | string) => {
      const parent = repo.revParse();
      const tree = repo.git('rev-parse', 'HEAD^{tree}');
      const head = [`tree ${tree}`, `parent ${parent}`, ...lines, '', ''].join('\n');
      const input = Buffer.concat([Buffer.from(head), Buffer.from(body)]);
      const args = ['hash-object', '-t', 'commit', '-w', '--stdin', '--literally'];
      const sha = execFileSync('git', args, { cwd: repo.path, input }).toString().trim();
      repo.git('update-ref', 'refs/heads/main', sha);
    };
    const ident = 'Eve <eve@example.com>';
    // Year 33658 (past 9999-12-31): stored with a note, never a failed pass.
    hashCommit(
      [`author ${ident} 999999999999 +0000`, `committer ${ident} 999999999999 +0000`],
      'far\n',
    );
    // A NUL in the message: left to git log.
    hashCommit(
      [`author ${ident} 1700000000 +0000`, `committer ${ident} 1700000000 +0000`],
      Buffer.from('nul\0here\n'),
    );
    // Latin-1 declared: left to git log, which re-encodes it.
    hashCommit(
      [
        `author ${ident} 1700000000 +0000`,
        `committer ${ident} 1700000000 +0000`,
        'encoding ISO-8859-1',
      ],
      Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]),
    );
    const { logged, alone } = await bothWays('manifests');
    expect(logged).toHaveLength(3);
    expect(logged[0]?.notes.length).toBeGreaterThan(0);
    expect(logged[2]?.message).toContain('café');
    expect(alone).toEqual(logged);
  });

  it('reads a shallow clone as git log does: a commit fetched with --depth 1 has no parent', async () => {
    repo.write('manifests/a.json', '{"a":1}');
    repo.commit('add');
    const clone = createTempRepo();
    try {
      clone.git('fetch', '-q', '--depth=1', `file://${repo.path}`, 'main');
      const cursor = clone.revParse('FETCH_HEAD');
      repo.write('manifests/a.json', '{"a":2}');
      repo.write('manifests/b.json', '{"b":1}');
      const head = repo.commit('edit and add');
      // The new commit is the shallow boundary; its parent (the cursor) is there all the same.
      clone.git('fetch', '-q', '--depth=1', `file://${repo.path}`, 'main');
      expect(clone.git('cat-file', '-p', head)).toContain(`parent ${cursor}`);
      const shallow = await openRepository({ path: clone.path });
      try {
        expect(await shallow.isAncestor(cursor, head)).toBe(false);
        const near = await collect(
          shallow.readCommits({ since: cursor, until: head, dir: 'manifests' }),
        );
        const logged = clone.git(
          'log',
          '--format=%P',
          '--raw',
          '--no-abbrev',
          `${cursor}..${head}`,
        );
        expect(near.map((c) => c.parents)).toEqual([[]]);
        expect(near[0]?.changes.map((c) => c.status)).toEqual(['added', 'added']);
        expect(logged).toMatch(/A\tmanifests\/a\.json/);
        expect(await shallow.countCommits({ since: cursor, until: head })).toBe(1);
      } finally {
        await shallow.close();
      }
    } finally {
      clone.cleanup();
    }
  });

  it('honours .git/info/grafts as git log does', async () => {
    const base = repo.revParse();
    repo.write('manifests/a.json', '{"a":1}');
    repo.commit('one');
    repo.write('manifests/a.json', '{"a":2}');
    const head = repo.commit('two');
    writeFileSync(join(repo.path, '.git', 'info', 'grafts'), `${head} ${base}\n`);
    const near = await collect(git.readCommits({ since: base, until: head, dir: 'manifests' }));
    expect(near.map((c) => [c.sha, c.parents])).toEqual([[head, [base]]]);
    expect(near[0]?.changes.map((c) => c.status)).toEqual(['added']);
    expect(await git.countCommits({ since: base, until: head })).toBe(1);
  });
});
