import { execFileSync } from 'node:child_process';
import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Who and when for a test commit; a given date makes author and committer dates deterministic. */
export interface CommitOptions {
  author?: { name: string; email: string };
  date?: Date;
}

/** A real git repository in a temp directory, with one-line helpers for building histories. */
export interface TempRepo {
  /** Absolute path of the work tree. */
  readonly path: string;
  /** Writes a file in the work tree (creating folders); not staged until `commit`. */
  write(relPath: string, content: string | Buffer): void;
  /** Deletes a file from the work tree. */
  remove(relPath: string): void;
  /** Moves a file in the work tree (creating the target folder). */
  rename(from: string, to: string): void;
  /** Stages everything (`add -A`) and commits, even with no change or an empty message; returns the sha. */
  commit(message: string, opts?: CommitOptions): string;
  /** Creates a branch at HEAD without switching to it. */
  branch(name: string): void;
  /** Switches to a branch (or detaches at a sha). */
  checkout(name: string): void;
  /** Merges `branch` into the current branch with a real merge commit (`--no-ff`); returns its sha. */
  merge(branch: string, message: string, opts?: CommitOptions): string;
  /** `git reset --hard <rev>`, e.g. to simulate a force push. */
  resetHard(rev: string): void;
  /** The full sha `rev` names (default HEAD). */
  revParse(rev?: string): string;
  /** Runs git with raw arguments; returns stdout without the trailing newline. */
  git(...args: string[]): string;
  /** Deletes the repository directory. */
  cleanup(): void;
}

/** An environment that ignores the user's and system git config, so tests see only the repo config. */
function hermeticEnv(opts: CommitOptions = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
  };
  for (const name of ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_OBJECT_DIRECTORY']) {
    delete env[name];
  }
  if (opts.author) {
    env.GIT_AUTHOR_NAME = opts.author.name;
    env.GIT_AUTHOR_EMAIL = opts.author.email;
  }
  if (opts.date) {
    const stamp = `@${Math.floor(opts.date.getTime() / 1000)} +0000`;
    env.GIT_AUTHOR_DATE = stamp;
    env.GIT_COMMITTER_DATE = stamp;
  }
  return env;
}

/** Creates an empty repository on branch `main` in a fresh temp directory. */
export function createTempRepo(): TempRepo {
  const path = mkdtempSync(join(tmpdir(), 'manifest-sync-git-'));
  const run = (args: string[], opts?: CommitOptions): string =>
    execFileSync('git', args, {
      cwd: path,
      env: hermeticEnv(opts),
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'pipe'],
    }).replace(/\n$/, '');
  const file = (relPath: string) => join(path, relPath);

  run(['init', '-q', '-b', 'main']);
  // The repository's config, written directly: four `git config` processes cost more than the init.
  // No automatic maintenance: otherwise every commit and merge starts `git maintenance run --auto`,
  // a process of its own that finds nothing to do in a test's small history (a third of a commit's CPU).
  appendFileSync(
    join(path, '.git', 'config'),
    '[user]\n\tname = Test Author\n\temail = test@example.com\n' +
      '[commit]\n\tgpgsign = false\n[core]\n\tautocrlf = false\n[maintenance]\n\tauto = false\n',
  );
  /** HEAD's sha right after a commit: the branch's loose ref (or a detached HEAD) holds it. */
  const head = (): string => {
    const text = readFileSync(join(path, '.git', 'HEAD'), 'utf8').trim();
    if (!text.startsWith('ref: ')) return text;
    try {
      return readFileSync(join(path, '.git', text.slice(5)), 'utf8').trim();
    } catch {
      return repo.revParse(); // a packed ref
    }
  };

  const repo: TempRepo = {
    path,
    write(relPath, content) {
      mkdirSync(dirname(file(relPath)), { recursive: true });
      writeFileSync(file(relPath), content);
    },
    remove(relPath) {
      rmSync(file(relPath));
    },
    rename(from, to) {
      mkdirSync(dirname(file(to)), { recursive: true });
      renameSync(file(from), file(to));
    },
    commit(message, opts) {
      run(['add', '-A']);
      run(
        ['commit', '-q', '--allow-empty', '--allow-empty-message', '--no-verify', '-m', message],
        opts,
      );
      return head();
    },
    branch(name) {
      run(['branch', name]);
    },
    checkout(name) {
      run(['checkout', '-q', name]);
    },
    merge(branch, message, opts) {
      run(['merge', '-q', '--no-ff', '--no-edit', '--no-verify', '-m', message, branch], opts);
      return repo.revParse();
    },
    resetHard(rev) {
      run(['reset', '-q', '--hard', rev]);
    },
    revParse(rev = 'HEAD') {
      return run(['rev-parse', '--verify', `${rev}^{commit}`]);
    },
    git(...args) {
      return run(args);
    },
    cleanup() {
      rmSync(path, { recursive: true, force: true });
    },
  };
  return repo;
}

/** The git processes this Node process started that are still running (Linux: read from /proc). */
export function gitChildProcesses(): { pid: number; args: string[] }[] {
  const found: { pid: number; args: string[] }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the parenthesised command name: state, ppid, ...
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(ppid) !== process.pid || state === 'Z') continue;
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(Boolean);
      if (args[0]?.endsWith('git')) found.push({ pid: Number(entry), args });
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}

/** Everything an async iterable yields (a repository's `readCommits`), in order. */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}
