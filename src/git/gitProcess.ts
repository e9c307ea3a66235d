import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { GitError } from '../errors.js';

/** Global options for every git we run: no pager, file names printed as they are. */
const GLOBAL_ARGS = ['--no-pager', '-c', 'core.quotepath=off'];

/** Variables that would point git at another repository than the one we ask about (set inside git hooks). */
const REPOSITORY_OVERRIDES = [
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_INDEX_FILE',
  'GIT_OBJECT_DIRECTORY',
  'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_COMMON_DIR',
  'GIT_NAMESPACE',
];

const STDERR_LIMIT = 64 * 1024;

/** The environment git runs with: never prompts, never pages, English messages. */
export function gitEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    GIT_TERMINAL_PROMPT: '0',
    GIT_PAGER: 'cat',
    PAGER: 'cat',
    LC_ALL: 'C',
  };
  for (const name of REPOSITORY_OVERRIDES) delete env[name];
  // git, its hooks and ssh need none of our secrets.
  for (const name of Object.keys(env)) {
    if (name === 'DATABASE_URL' || name.startsWith('MANIFEST_SYNC_') || name.startsWith('PG'))
      delete env[name];
  }
  return env;
}

/**
 * Starts `git <args>` in `cwd` with piped stdio; the caller owns the process. Throws GitError
 * when git cannot start for lack of resources: out of file descriptors (EMFILE), node reports
 * the failure as an 'error' event a tick later and leaves the process without stdio, so the
 * event is heard here and the caller never sees a half-made process.
 */
export function spawnGit(cwd: string, args: readonly string[]): ChildProcessWithoutNullStreams {
  const command = args[0] ?? '';
  let child: ReturnType<typeof spawn>;
  try {
    child = spawn('git', [...GLOBAL_ARGS, ...args], { cwd, env: gitEnv(), stdio: 'pipe' });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'an error';
    throw new GitError(`git ${command} could not start (${code})`, { cause: error, args });
  }
  if (!child.stdin || !child.stdout || !child.stderr) {
    child.on('error', () => {}); // EMFILE or ENFILE, already reported by the throw below
    throw new GitError(
      `git ${command} could not start: no file descriptors left (EMFILE); the pass is retried`,
      { args },
    );
  }
  // A pipe's error (EPIPE when git exits early) shows in git's exit; it must not end the process.
  for (const stream of [child.stdin, child.stdout, child.stderr]) stream.on('error', () => {});
  return child as ChildProcessWithoutNullStreams;
}

/** How a one-shot git command ended. */
export interface GitResult {
  exitCode: number;
  stdout: Buffer;
  stderr: string;
}

/** How a git process ended: its exit code, or the error that kept it from running. */
export interface GitExit {
  exitCode: number | null;
  error: Error | null;
}

/** Resolves when `child` has exited and its stdio has closed; never rejects. */
export function waitForExit(child: ChildProcessWithoutNullStreams): Promise<GitExit> {
  return new Promise((resolve) => {
    let error: Error | null = null;
    child.once('error', (err) => {
      error = err;
    });
    child.once('close', (code) => resolve({ exitCode: code, error }));
  });
}

/** Collects the first 64 KB of a process's stderr, for error messages. */
export function collectStderr(child: ChildProcessWithoutNullStreams): () => string {
  let text = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    if (text.length < STDERR_LIMIT) text += chunk;
  });
  return () => text.trim();
}

/** Runs `git <args>` in `cwd` to completion; resolves with any exit code, rejects only when git cannot start. */
export async function runGit(cwd: string, args: readonly string[]): Promise<GitResult> {
  const child = spawnGit(cwd, args);
  child.stdin.end();
  const stderr = collectStderr(child);
  const chunks: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  const { exitCode, error } = await waitForExit(child);
  if (error !== null || exitCode === null) {
    throw new GitError(`git ${args[0] ?? ''} could not run`, { cause: error, args, exitCode });
  }
  return { exitCode, stdout: Buffer.concat(chunks), stderr: stderr() };
}

/** Runs `git <args>` and returns its stdout; throws GitError on a non-zero exit. */
export async function runGitOk(cwd: string, args: readonly string[]): Promise<Buffer> {
  const result = await runGit(cwd, args);
  if (result.exitCode !== 0) throw failure(args, result);
  return result.stdout;
}

/** A GitError describing a command that exited non-zero. */
export function failure(args: readonly string[], result: Omit<GitResult, 'stdout'>): GitError {
  const detail = result.stderr === '' ? `exit code ${result.exitCode}` : result.stderr;
  return new GitError(`git ${args[0] ?? ''} failed: ${detail}`, {
    args,
    exitCode: result.exitCode,
    stderr: result.stderr,
  });
}
