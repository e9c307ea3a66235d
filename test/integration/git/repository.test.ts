import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitError, NotARepositoryError, UnknownRevisionError } from '../../../src/errors.js';
import { type GitRepository, openRepository } from '../../../src/git/index.js';
import { createTempRepo, gitChildProcesses, type TempRepo } from '../../helpers/gitRepo.js';

let repo: TempRepo;
let git: GitRepository;

beforeEach(async () => {
  repo = createTempRepo();
  repo.write('manifests/a.json', '{"a":1}');
  repo.commit('first');
  git = await openRepository({ path: repo.path });
});

afterEach(async () => {
  await git.close();
  repo.cleanup();
});

describe('openRepository', () => {
  it('opens from a subdirectory and reports the top level as path', async () => {
    const inner = await openRepository({ path: join(repo.path, 'manifests') });
    expect(inner.path).toBe(git.path);
    expect(await inner.resolveRevision('HEAD')).toBe(repo.revParse());
    await inner.close();
  });

  it('throws NotARepositoryError for a plain directory and for a missing one', async () => {
    const plain = mkdtempSync(join(tmpdir(), 'manifest-sync-plain-'));
    try {
      const error = await openRepository({ path: plain }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NotARepositoryError);
      expect(error).toBeInstanceOf(GitError);
      expect(String(error)).toContain(plain);
      await expect(openRepository({ path: join(plain, 'nope') })).rejects.toBeInstanceOf(
        NotARepositoryError,
      );
    } finally {
      rmSync(plain, { recursive: true, force: true });
    }
  });
});

describe('revisions', () => {
  it('currentBranch names the branch, or null when detached', async () => {
    expect(await git.currentBranch()).toBe('main');
    repo.branch('feature/x');
    repo.checkout('feature/x');
    expect(await git.currentBranch()).toBe('feature/x');
    repo.checkout(repo.revParse());
    expect(await git.currentBranch()).toBeNull();
  });

  it('resolveRevision returns a full sha, or null for anything that names no commit', async () => {
    const head = repo.revParse();
    expect(await git.resolveRevision('HEAD')).toBe(head);
    expect(await git.resolveRevision('main')).toBe(head);
    expect(await git.resolveRevision(head.slice(0, 10))).toBe(head);
    for (const rev of ['nope', '0'.repeat(40), '', '--all', 'HEAD:manifests/a.json', 'HEAD~5']) {
      expect(await git.resolveRevision(rev)).toBeNull();
    }
  });

  it('isAncestor follows history, and is false once a force push drops a commit', async () => {
    const first = repo.revParse();
    repo.write('manifests/a.json', '{"a":2}');
    const second = repo.commit('second');
    expect(await git.isAncestor(first, second)).toBe(true);
    expect(await git.isAncestor(second, second)).toBe(true);
    expect(await git.isAncestor(second, first)).toBe(false);

    repo.resetHard(first); // the branch is rewritten: `second` is no longer in its history
    repo.write('manifests/a.json', '{"a":3}');
    const rewritten = repo.commit('rewritten');
    expect(await git.isAncestor(second, 'main')).toBe(false);
    expect(await git.isAncestor(first, rewritten)).toBe(true);
    expect(await git.isAncestor('0'.repeat(40), 'main')).toBe(false);
    expect(await git.isAncestor(first, 'gone')).toBe(false);
  });

  it('readCommit throws UnknownRevisionError for an unknown sha', async () => {
    const error = await git.readCommit('deadbeef'.repeat(5)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownRevisionError);
    expect(error).toMatchObject({ revision: 'deadbeef'.repeat(5) });
  });
});

describe('readSnapshot', () => {
  it('lists the *.json directly in dir at a revision, not the work tree', async () => {
    const first = repo.revParse();
    repo.write('manifests/b.json', '{"b":1}');
    repo.write('manifests/nested/c.json', '{}');
    repo.write('manifests/readme.md', '');
    repo.commit('more');
    repo.write('manifests/uncommitted.json', '{}');

    const now = await git.readSnapshot({ revision: 'HEAD', dir: 'manifests/' });
    expect(now.map((e) => e.path)).toEqual(['manifests/a.json', 'manifests/b.json']);
    const then = await git.readSnapshot({ revision: first, dir: 'manifests' });
    expect(then.map((e) => e.path)).toEqual(['manifests/a.json']);
    expect(await git.readBlob(then[0]?.oid ?? '')).toBe('{"a":1}');
  });

  it('lists what `git ls-tree` lists: regular *.json files only, executable ones too, names in UTF-8', async () => {
    repo.write('manifests/b.json', '{"b":1}');
    repo.write('manifests/run.json', '{}');
    repo.git('update-index', '--add', '--chmod=+x', 'manifests/run.json');
    repo.write('manifests/zürich-ü.json', '{}');
    repo.write('manifests/sub/deep.json', '{}');
    repo.write('manifests/notes.txt', '');
    repo.write('manifests/.json', '');
    repo.commit('odd entries');
    // A symlink named like a manifest, and a submodule (gitlink) named like one.
    const blob = repo.git('hash-object', '-w', '--stdin');
    repo.git('update-index', '--add', '--cacheinfo', `120000,${blob},manifests/link.json`);
    repo.git(
      'update-index',
      '--add',
      '--cacheinfo',
      `160000,${repo.revParse()},manifests/mod.json`,
    );
    repo.git('commit', '-q', '-m', 'link and gitlink');

    const listed = await git.readSnapshot({ revision: 'HEAD', dir: 'manifests' });
    const lsTree = repo
      .git('ls-tree', '-z', 'HEAD:manifests')
      .split('\0')
      .filter(
        (line) =>
          /^100(644|755) blob /.test(line) && /\.json$/.test(line) && !/\t\.json$/.test(line),
      )
      .map((line) => {
        const [meta = '', name = ''] = line.split('\t');
        return { path: `manifests/${name}`, oid: meta.split(' ')[2] };
      });
    expect(listed).toEqual(lsTree);
    expect(listed.map((entry) => entry.path)).toEqual([
      'manifests/a.json',
      'manifests/b.json',
      'manifests/run.json',
      'manifests/zürich-ü.json',
    ]);
    // The root as the folder: its own *.json only.
    expect(await git.readSnapshot({ revision: 'HEAD', dir: '' })).toEqual([]);
  });

  it('hands a tree with a mode git normalises (100664, written by old gits) to git ls-tree', async () => {
    const blob = repo.git('rev-parse', 'HEAD:manifests/a.json');
    const raw = Buffer.from(blob, 'hex');
    const folder = Buffer.concat([
      Buffer.from('100664 a.json\0'),
      raw,
      Buffer.from('100644 b.json\0'),
      raw,
    ]);
    const write = (args: string[], input: Buffer | string) =>
      execFileSync('git', args, { cwd: repo.path, input }).toString('utf8').trim();
    const tree = write(['hash-object', '-w', '-t', 'tree', '--literally', '--stdin'], folder);
    const root = write(['mktree'], `040000 tree ${tree}\tmanifests\n`);
    const commit = repo.git('commit-tree', root, '-p', 'HEAD', '-m', 'old mode');

    expect(await git.readSnapshot({ revision: commit, dir: 'manifests' })).toEqual([
      { path: 'manifests/a.json', oid: blob },
      { path: 'manifests/b.json', oid: blob },
    ]);
  });

  it('is empty when the directory does not exist, and throws for an unknown revision', async () => {
    expect(await git.readSnapshot({ revision: 'HEAD', dir: 'nowhere' })).toEqual([]);
    expect(await git.readSnapshot({ revision: 'HEAD', dir: 'manifests/a.json' })).toEqual([]);
    await expect(git.readSnapshot({ revision: 'nope', dir: 'manifests' })).rejects.toBeInstanceOf(
      UnknownRevisionError,
    );
    await expect(git.readSnapshot({ revision: 'HEAD', dir: '../up' })).rejects.toBeInstanceOf(
      GitError,
    );
  });
});

describe('processes', () => {
  it('stops git log when the reader leaves readCommits early', async () => {
    for (let i = 0; i < 30; i++) repo.commit(`empty ${i}`);
    for await (const commit of git.readCommits({ since: null, until: 'HEAD', dir: 'manifests' })) {
      expect(commit.sha).toHaveLength(40);
      break;
    }
    // The long-lived cat-file (which resolved HEAD) stays until close(); no git log is left.
    expect(gitChildProcesses().filter((p) => !p.args.includes('cat-file'))).toEqual([]);
  });

  it('close() stops a git log still being read; the reader gets a GitError', async () => {
    for (let i = 0; i < 30; i++) repo.commit(`empty ${i}`);
    const iterator = git.readCommits({ since: null, until: 'HEAD', dir: 'manifests' });
    const seen: string[] = [];
    const reading = (async () => {
      for await (const commit of iterator) {
        seen.push(commit.sha);
        if (seen.length === 1) await git.close();
      }
    })();
    await expect(reading).rejects.toBeInstanceOf(GitError);
    expect(gitChildProcesses()).toEqual([]);
  });
});

describe('remembered commits', () => {
  it('still answers from git once a remembered commit was pruned (force push, then gc)', async () => {
    repo.write('manifests/a.json', '{"a":2}');
    const dropped = repo.commit('second');
    expect(await git.isAncestor(dropped, 'main')).toBe(true); // now remembered
    repo.resetHard('HEAD~1');
    repo.git('reflog', 'expire', '--expire=now', '--all');
    repo.git('gc', '--quiet', '--prune=now');
    expect(await git.resolveRevision(dropped)).toBeNull();
    expect(await git.isAncestor(dropped, 'main')).toBe(false);
  }, 30_000);

  it('answers isAncestor and rootCommit the same the second time', async () => {
    const root = repo.revParse();
    repo.write('manifests/a.json', '{"a":2}');
    const head = repo.commit('second');
    for (let i = 0; i < 2; i++) {
      expect(await git.isAncestor(root, head)).toBe(true);
      expect(await git.isAncestor(head, root)).toBe(false);
      expect(await git.rootCommit(head)).toBe(root);
      expect(await git.resolveRevision(head)).toBe(head);
    }
  });
});
