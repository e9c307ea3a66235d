import { parseHeader } from './logParser.js';
import type { CommitInfo } from './types.js';

/** A commit object as stored: its tree, its parents, and the metadata `git log` would print. */
export interface CommitObject {
  tree: string;
  info: CommitInfo;
}

/** `Name <email> <seconds> <+-hhmm>`, as git writes an ident; anything looser is left to git. */
const IDENT = /^([^<>\n]*)<([^<>\n]*)> ([0-9]{1,15}) [+-][0-9]{4}$/;

/**
 * Reads a commit object's raw text as `git log --format=LOG_FORMAT --encoding=UTF-8` would print
 * it, or null when git's own reading could differ (another encoding, an unusual ident, a NUL):
 * the caller then asks `git log`. Headers other than tree, parent, author, committer (gpgsig,
 * mergetag, ...) are skipped, as %B skips them.
 */
export function parseCommitObject(sha: string, content: Buffer): CommitObject | null {
  if (content.includes(0)) return null;
  const text = content.toString('utf8');
  const end = text.indexOf('\n\n');
  const headers = (end === -1 ? text : text.slice(0, end)).split('\n');
  const body = end === -1 ? '' : text.slice(end + 2);
  let tree: string | null = null;
  const parents: string[] = [];
  let author: RegExpExecArray | null = null;
  let committer: RegExpExecArray | null = null;
  for (const line of headers) {
    const space = line.indexOf(' ');
    const key = line.slice(0, space);
    const value = line.slice(space + 1);
    if (key === 'tree') tree = value;
    else if (key === 'parent') parents.push(value);
    else if (key === 'author') author = IDENT.exec(value);
    else if (key === 'committer') committer = IDENT.exec(value);
    else if (key === 'encoding' && !/^utf-?8$/i.test(value)) return null;
  }
  if (tree === null || author === null || committer === null) return null;
  // git's %an is the text before '<' without its trailing whitespace: git's own isspace, which
  // is space, tab, CR and LF only (not C's: a \v or \f another tool wrote stays in the name).
  const name = (author[1] ?? '').replace(/[ \t\r]+$/, '');
  const info = parseHeader([
    sha,
    parents.join(' '),
    name,
    author[2] ?? '',
    author[3] ?? '',
    committer[3] ?? '',
    body,
  ]);
  return { tree, info };
}
