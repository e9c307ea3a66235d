import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { collectStderr, failure, spawnGit, waitForExit } from './gitProcess.js';
import { LOG_FORMAT, LogParser } from './logParser.js';
import { manifestPathspec } from './manifestPath.js';
import type { CommitChanges } from './types.js';

/** Options of `readCommitRange`; `since` and `until` must already be resolved full shas. */
export interface CommitRangeOptions {
  cwd: string;
  since: string | null;
  until: string;
  /** Normalised manifest directory ('' for the root). */
  dir: string;
  /** Called with the git process once started; returns a function to call once it has ended. */
  track?: (child: ChildProcessWithoutNullStreams) => () => void;
}

/** The `git log` arguments that list (since, until] first-parent, oldest first, with raw manifest diffs. */
export function commitRangeArgs(since: string | null, until: string, dir: string): string[] {
  return [
    'log',
    '--first-parent',
    // With a pathspec, git would skip commits that leave it untouched; these two keep every commit.
    '--full-history',
    '--sparse',
    '--reverse',
    '--root',
    '--diff-merges=first-parent',
    '-M',
    '--raw',
    '-z',
    '--no-abbrev',
    '--no-color',
    '--no-show-signature',
    '--encoding=UTF-8',
    `--format=${LOG_FORMAT}`,
    since === null ? until : `${since}..${until}`,
    '--',
    ...manifestPathspec(dir),
  ];
}

/**
 * Streams one `git log` over the whole range and yields each commit as soon as it is parsed.
 * Leaving the loop early stops git; a failing git throws GitError after the commits it completed.
 */
export async function* readCommitRange(opts: CommitRangeOptions): AsyncGenerator<CommitChanges> {
  const args = commitRangeArgs(opts.since, opts.until, opts.dir);
  const child = spawnGit(opts.cwd, args);
  const untrack = opts.track?.(child);
  child.stdin.end();
  const stderr = collectStderr(child);
  const exit = waitForExit(child);
  try {
    const parser = new LogParser(opts.dir);
    let readError: unknown = null;
    try {
      for await (const chunk of child.stdout) {
        yield* parser.push(chunk as Buffer);
      }
    } catch (error) {
      readError = error; // stdout destroyed, e.g. by GitRepository.close()
    }
    const { exitCode, error } = await exit;
    if (readError !== null || error !== null || exitCode !== 0) {
      const why = error?.message ?? (stderr() || `stopped by ${child.signalCode ?? 'an error'}`);
      throw failure(args, { exitCode: exitCode ?? -1, stderr: why });
    }
    yield* parser.end();
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill();
    await exit;
    untrack?.();
  }
}
