import { GitError } from '../errors.js';
import { isManifestPath, isRegularFile } from './manifestPath.js';
import type { CommitChanges, CommitInfo, FileChange } from './types.js';

/**
 * The `--format` every commit header is printed with. With `-z`, each field ends in NUL; the record
 * separator (0x1e) marks where a commit starts, so a header is told apart from a raw diff entry.
 */
export const LOG_FORMAT = '%x1e%H%x00%P%x00%an%x00%ae%x00%at%x00%ct%x00%B%x00';
const HEADER_FIELDS = 7;
const RECORD_SEPARATOR = '\x1e';
const NUL = 0;

/** One `:<modes> <oids> <status>` line of git's raw diff format, before its paths. */
export interface RawEntry {
  oldMode: string;
  newMode: string;
  oldOid: string;
  newOid: string;
  pathCount: number;
}

/**
 * Incremental parser for `git log -z --raw --format=LOG_FORMAT`: feed it chunks as they arrive and
 * it returns each commit once the next one starts (or at `end()`), so the log is never buffered whole.
 */
export class LogParser {
  readonly #dir: string;
  #partial: Buffer[] = [];
  #header: string[] | null = null;
  #entry: RawEntry | null = null;
  #paths: string[] = [];
  #current: CommitChanges | null = null;
  #done: CommitChanges[] = [];

  /** @param dir normalised manifest directory ('' for the root) */
  constructor(dir: string) {
    this.#dir = dir;
  }

  /** Consumes one chunk of output; returns the commits it completed. */
  push(chunk: Buffer): CommitChanges[] {
    let start = 0;
    for (let nul = chunk.indexOf(NUL, start); nul !== -1; nul = chunk.indexOf(NUL, start)) {
      const piece = chunk.subarray(start, nul);
      const token = this.#partial.length === 0 ? piece : Buffer.concat([...this.#partial, piece]);
      this.#partial = [];
      this.#onToken(token.toString('utf8'));
      start = nul + 1;
    }
    if (start < chunk.length) this.#partial.push(chunk.subarray(start));
    return this.#take();
  }

  /** Signals the end of output; returns the last commit. Throws when the output stopped mid-record. */
  end(): CommitChanges[] {
    const trailing = Buffer.concat(this.#partial).toString('utf8');
    this.#partial = [];
    if (trailing.trim() !== '') this.#onToken(trailing);
    if (this.#header !== null || this.#entry !== null) {
      throw new GitError('git log output ended in the middle of a commit');
    }
    if (this.#current !== null) this.#done.push(this.#current);
    this.#current = null;
    return this.#take();
  }

  #take(): CommitChanges[] {
    const done = this.#done;
    this.#done = [];
    return done;
  }

  #onToken(token: string): void {
    if (this.#header !== null) {
      this.#header.push(token);
      if (this.#header.length === HEADER_FIELDS) {
        this.#current = { ...parseHeader(this.#header), changes: [] };
        this.#header = null;
      }
      return;
    }
    if (this.#entry !== null) {
      this.#paths.push(token);
      if (this.#paths.length === this.#entry.pathCount) this.#onEntry(this.#entry, this.#paths);
      return;
    }
    // git separates the header from the raw diff with a newline and ends the header with an empty field.
    const text = token.startsWith('\n') ? token.slice(1) : token;
    if (text === '') return;
    if (text.startsWith(RECORD_SEPARATOR)) {
      if (this.#current !== null) this.#done.push(this.#current);
      this.#current = null;
      this.#header = [text.slice(1)];
    } else if (text.startsWith(':') && this.#current !== null) {
      this.#entry = parseRawEntry(text);
      this.#paths = [];
    } else {
      throw new GitError(`unexpected git log output: ${JSON.stringify(text.slice(0, 80))}`);
    }
  }

  #onEntry(entry: RawEntry, paths: string[]): void {
    this.#entry = null;
    const oldPath = paths[0] ?? null;
    const newPath = paths[paths.length - 1] ?? null;
    const change = toFileChange(entry, oldPath, newPath, this.#dir);
    if (change !== null) this.#current?.changes.push(change);
  }
}

/** The latest time kept, 9999-12-31T23:59:59Z: ISO 8601 dates (and PostgreSQL's input) stop there. */
const LATEST_SECONDS = 253_402_300_799;

/** A git timestamp in seconds, or null when it is no time this program can store. */
function readSeconds(field: string): number | null {
  if (!/^[0-9]{1,15}$/.test(field)) return null; // git prints nothing for a date it cannot read
  const seconds = Number(field);
  return seconds <= LATEST_SECONDS ? seconds : null;
}

/**
 * Builds commit metadata from the seven header fields of LOG_FORMAT (sha, parents, author name,
 * author email, author time, committer time, body), however they were read. Git accepts any date a
 * committer writes (year 99999, say); one out of range never fails the commit: the author's time
 * falls back to the committer's (and the other way round), else to the latest time kept, and
 * `notes` says so, for the log.
 */
export function parseHeader(fields: readonly string[]): CommitInfo {
  const [sha = '', parents = '', authorName = '', authorEmail = '', at = '', ct = '', body = ''] =
    fields;
  const notes: string[] = [];
  const authored = readSeconds(at);
  const committed = readSeconds(ct);
  const fallback = (field: string, other: number | null, otherName: string): number => {
    const seconds = other ?? LATEST_SECONDS;
    const used = other === null ? 'the latest time kept' : `the ${otherName}'s time`;
    notes.push(
      `${field} \`${showField(fields, field)}\` is out of range: using ${used}, ${iso(seconds)}`,
    );
    return seconds;
  };
  return {
    sha,
    parents: parents === '' ? [] : parents.split(' '),
    authorName,
    authorEmail,
    authoredAt: new Date((authored ?? fallback('author date', committed, 'committer')) * 1000),
    committedAt: new Date((committed ?? fallback('committer date', authored, 'author')) * 1000),
    message: body.replace(/\n+$/, ''),
    notes,
  };
}

function showField(fields: readonly string[], field: string): string {
  const raw = (field === 'author date' ? fields[4] : fields[5]) ?? '';
  return raw.length > 24 ? `${raw.slice(0, 24)}...` : raw;
}

function iso(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}

/** Parses `:<old mode> <new mode> <old oid> <new oid> <status>`. */
export function parseRawEntry(text: string): RawEntry {
  const [oldMode, newMode, oldOid, newOid, status] = text.slice(1).split(' ');
  if (oldMode === undefined || newMode === undefined || !oldOid || !newOid || !status) {
    throw new GitError(`unexpected git log raw entry: ${JSON.stringify(text)}`);
  }
  // Renames and copies print two paths (source, destination); everything else one.
  const pathCount = status.startsWith('R') || status.startsWith('C') ? 2 : 1;
  return { oldMode, newMode, oldOid: detached(oldOid), newOid: detached(newOid), pathCount };
}

/**
 * A copy of a field cut from a longer line. V8 keeps a cut of 13 characters or more as a view
 * into the whole string, so a kept oid would keep its raw line alive: 12 MB of lines for a
 * commit of 100,000 manifests, held until the run ended. Oids are hex, so latin1 copies exactly.
 */
function detached(field: string): string {
  return Buffer.from(field, 'latin1').toString('latin1');
}

/**
 * Classifies one raw entry as seen from the manifest directory: a side counts only when its path is a
 * manifest and it is a regular file, so a rename into the directory is an add and out of it a delete.
 */
export function toFileChange(
  entry: RawEntry,
  oldPath: string | null,
  newPath: string | null,
  dir: string,
): FileChange | null {
  const hasOld = oldPath !== null && isRegularFile(entry.oldMode) && isManifestPath(oldPath, dir);
  const hasNew = newPath !== null && isRegularFile(entry.newMode) && isManifestPath(newPath, dir);
  if (hasOld && hasNew) {
    if (oldPath === newPath && entry.oldOid === entry.newOid) return null; // mode-only change
    const status = oldPath === newPath ? 'modified' : 'renamed';
    return { status, oldPath, newPath, oldOid: entry.oldOid, newOid: entry.newOid };
  }
  if (hasOld)
    return { status: 'deleted', oldPath, newPath: null, oldOid: entry.oldOid, newOid: null };
  if (hasNew)
    return { status: 'added', oldPath: null, newPath, oldOid: null, newOid: entry.newOid };
  return null;
}
