import { GitError } from '../errors.js';
import { parseRawEntry, toFileChange } from './logParser.js';
import { manifestPathspec } from './manifestPath.js';
import type { FileChange } from './types.js';

/**
 * The `git diff-tree` arguments that compare two revisions' manifest directories in one step,
 * renames found (`-M`), as NUL-separated raw entries; `from` and `to` must be resolved shas.
 */
export function diffTreeArgs(from: string, to: string, dir: string): string[] {
  return [
    'diff-tree',
    '-r',
    '-M',
    '--raw',
    '-z',
    '--no-abbrev',
    '--no-color',
    from,
    to,
    '--',
    ...manifestPathspec(dir),
  ];
}

/**
 * Parses `git diff-tree -z --raw` output into manifest changes (the same judgement as `git log`'s:
 * only regular `<dir>/<name>.json` files count, a mode-only change is dropped).
 */
export function parseRawDiff(output: Buffer, dir: string): FileChange[] {
  const tokens = output.toString('utf8').split('\0');
  // Every token ends in NUL, so the split leaves one empty string after the last.
  if (tokens.at(-1) === '') tokens.pop();
  const changes: FileChange[] = [];
  for (let i = 0; i < tokens.length; ) {
    const text = tokens[i++] ?? '';
    if (text === '' || text === '\n') continue;
    if (!text.startsWith(':'))
      throw new GitError(`unexpected git diff-tree output: ${JSON.stringify(text.slice(0, 80))}`);
    const entry = parseRawEntry(text);
    const paths = tokens.slice(i, i + entry.pathCount);
    i += entry.pathCount;
    if (paths.length !== entry.pathCount)
      throw new GitError('git diff-tree output ended in the middle of an entry');
    const change = toFileChange(entry, paths[0] ?? null, paths.at(-1) ?? null, dir);
    if (change !== null) changes.push(change);
  }
  return changes;
}
