import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { git } from './generate.js';

/** A scenario's own repository: a `--shared` clone of the cached one, so moving refs is private. */
export interface Workspace {
  readonly path: string;
  /** The first commit (every manifest added) and the last one of the generated history. */
  readonly base: string;
  readonly tip: string;
  /** Moves `main` to a revision, as a push would. */
  moveMain(revision: string): void;
  /** How many first-parent commits are in (from, to]. */
  countCommits(from: string, to: string): number;
  remove(): void;
}

/** Clones a generated repository (objects shared through alternates: milliseconds, no copy). */
export function createWorkspace(source: string): Workspace {
  const parent = mkdtempSync(join(tmpdir(), 'manifest-sync-bench-repo-'));
  const path = join(parent, 'repo.git');
  execFileSync('git', ['clone', '--quiet', '--bare', '--shared', source, path]);
  const base = git(path, ['rev-parse', 'refs/tags/bench-base^{commit}']);
  const tip = git(path, ['rev-parse', 'refs/heads/main']);
  return {
    path,
    base,
    tip,
    moveMain: (revision) => void git(path, ['update-ref', 'refs/heads/main', revision]),
    countCommits: (from, to) => Number(git(path, ['rev-list', '--count', `${from}..${to}`])),
    remove: () => rmSync(parent, { recursive: true, force: true }),
  };
}

/** A commit prepared with plumbing but not yet on the branch: `publish()` moves `main` onto it. */
export interface PreparedCommit {
  readonly sha: string;
  publish(): void;
}

/**
 * Writes a commit changing one manifest on top of `main` (blob, tree through a private index,
 * commit object) without moving the branch, so a measurement can start right before the ref moves.
 */
export function prepareCommit(
  repo: string,
  path: string,
  text: string,
  message: string,
): PreparedCommit {
  const parent = git(repo, ['rev-parse', 'refs/heads/main']);
  const index = join(repo, `bench-index-${process.pid}`);
  const env = {
    ...process.env,
    GIT_INDEX_FILE: index,
    GIT_AUTHOR_NAME: 'Bench Author',
    GIT_AUTHOR_EMAIL: 'author@bench.example',
    GIT_COMMITTER_NAME: 'Bench Author',
    GIT_COMMITTER_EMAIL: 'author@bench.example',
  };
  const run = (args: string[], input?: string) =>
    execFileSync('git', args, { cwd: repo, env, input, encoding: 'utf8' }).trim();
  try {
    run(['read-tree', parent]);
    const blob = run(['hash-object', '-w', '--stdin'], text);
    run(['update-index', '--add', '--cacheinfo', `100644,${blob},${path}`]);
    const tree = run(['write-tree']);
    const sha = run(['commit-tree', tree, '-p', parent, '-m', message]);
    return {
      sha,
      publish: () => void git(repo, ['update-ref', 'refs/heads/main', sha, parent]),
    };
  } finally {
    rmSync(index, { force: true });
  }
}
