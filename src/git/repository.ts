import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { GitError, NotARepositoryError, UnknownRevisionError } from '../errors.js';
import { BlobReader, type GitObject } from './blobReader.js';
import { type CommitObject, parseCommitObject } from './commitObject.js';
import { diffTreeArgs, parseRawDiff } from './diffRevisions.js';
import { failure, runGit, runGitOk } from './gitProcess.js';
import { LOG_FORMAT, LogParser } from './logParser.js';
import { isManifestName, isRegularFile, manifestPathspec, normalizeDir } from './manifestPath.js';
import { readCommitRange } from './readCommits.js';
import { diffManifestTrees, listManifestTree } from './treeDiff.js';
import type {
  CommitChanges,
  CommitInfo,
  FileChange,
  GitRepository,
  ReadCommitsOptions,
  SizedText,
  SnapshotEntry,
} from './types.js';

/** Opens the git repository containing `path`; throws NotARepositoryError when there is none. */
export async function openRepository(opts: { path: string }): Promise<GitRepository> {
  const path = resolve(opts.path);
  const info = await stat(path).catch(() => null);
  if (info === null || !info.isDirectory()) {
    throw new NotARepositoryError(`not a git repository (no such directory): ${path}`);
  }
  // The common directory (a linked worktree's branches live there) and the top of the work tree,
  // in one process. In a bare repository git prints the first two and fails on the third.
  const probe = await runGit(path, [
    'rev-parse',
    '--path-format=absolute',
    '--is-bare-repository',
    '--git-common-dir',
    '--show-toplevel',
  ]);
  const [bare, gitDir = path, top] = probe.stdout.toString('utf8').trim().split('\n');
  let repository: Repository;
  if (bare === 'true') repository = new Repository(gitDir, gitDir);
  else if (probe.exitCode === 0 && top) repository = new Repository(top, gitDir);
  else
    throw new NotARepositoryError(`not a git repository: ${path}`, {
      cause: failure(['rev-parse'], probe),
    });
  repository.start();
  return repository;
}

/** Bounds the caches below; a pass adds two or three entries. */
const CACHE_LIMIT = 1024;
/**
 * How many first-parent steps from a head are walked through cat-file to find a revision (the
 * cursor) before git is asked instead: a daemon's new commit is one step from the cursor.
 */
const WALK_LIMIT = 32;
/** A manifest folder's tree larger than this is diffed by `git log` (in C), not walked here. */
const WALK_TREE_BYTES = 4 * 1024 * 1024;

/** A GitRepository backed by one-shot git commands, one streaming log per range, one cat-file. */
class Repository implements GitRepository {
  readonly path: string;
  readonly gitDir: string;
  readonly #blobs: BlobReader;
  /**
   * Full shas git has resolved as commits. Objects never change, so asking again (each pass
   * resolves the cursor and the head several times, ~4 ms a process) learns nothing.
   */
  readonly #commits = new Set<string>();
  /** Root commit by revision sha: immutable history, so also asked once. */
  readonly #roots = new Map<string, string>();
  /** Commit objects read through cat-file, by sha (null: one git's own reading is needed for). */
  readonly #objects = new Map<string, CommitObject | null>();
  /** The last folder tree `#readNear` reached: the next range starts there (held: one tree). */
  #lastTree: { key: string; tree: Buffer | null } | null = null;
  readonly #running = new Set<ChildProcessWithoutNullStreams>();
  #closed: Promise<void> | null = null;

  constructor(path: string, gitDir: string) {
    this.path = path;
    this.gitDir = gitDir;
    this.#blobs = new BlobReader(path);
  }

  /** Starts the long-lived cat-file (see {@link BlobReader.start}). */
  start(): void {
    this.#blobs.start();
  }

  async currentBranch(): Promise<string | null> {
    const result = await this.#run(['symbolic-ref', '--quiet', '--short', 'HEAD']);
    if (result.exitCode === 1) return null;
    return this.#text(['symbolic-ref'], result);
  }

  /**
   * Asked of the long-lived cat-file (`<rev>^{commit}`), not of a new `rev-parse`: refs are read
   * afresh by git each time, and a daemon's pass costs no process for its head. The commit object
   * comes with the answer and is kept: its parents answer `isAncestor` for a near cursor.
   */
  async resolveRevision(rev: string): Promise<string | null> {
    if (rev === '' || rev.startsWith('-') || /[\n\r\0]/.test(rev)) return null;
    this.#assertOpen();
    const object = await this.#readObject(`${rev}^{commit}`);
    if (object === null || object.type !== 'commit') return null;
    this.#keep(object.oid, object.content);
    return object.oid;
  }

  /** Remembers a commit read through cat-file: its sha as resolved, its object parsed. */
  #keep(sha: string, content: Buffer): CommitObject | null {
    remember(this.#commits, sha);
    if (this.#objects.size >= CACHE_LIMIT) this.#objects.clear();
    const parsed = parseCommitObject(sha, content);
    this.#objects.set(sha, parsed);
    return parsed;
  }

  /** A commit's object, from the cache or cat-file; null when git's own reading is needed. */
  async #commitObject(sha: string): Promise<CommitObject | null> {
    if (this.#objects.has(sha)) return this.#objects.get(sha) ?? null;
    const object = await this.#readObject(`${sha}^{commit}`);
    if (object === null || object.type !== 'commit') return null;
    return this.#keep(object.oid, object.content);
  }

  /** One object by name through the long-lived cat-file; null when the name resolves to none. */
  async #readObject(name: string): Promise<GitObject | null> {
    this.#assertOpen();
    const [reply] = this.#blobs.readObjects([name]);
    return (await reply) ?? null;
  }

  /**
   * The first-parent commits in (since, until], oldest first, when `since` is at most WALK_LIMIT
   * first-parent steps below `until` (read through cat-file, no process); else null.
   */
  async #walkFirstParents(since: string, until: string): Promise<CommitObject[] | null> {
    // git reads a shallow clone's boundary commits, and grafted ones, with other parents than their
    // objects name: git answers then. Checked each walk: a `fetch --depth` can make a clone shallow.
    if (await this.#grafted()) return null;
    const walked: CommitObject[] = [];
    for (let sha = until; sha !== since; ) {
      if (walked.length === WALK_LIMIT) return null;
      const object = await this.#commitObject(sha);
      const parent = object?.info.parents[0];
      if (object === null || parent === undefined) return null;
      walked.push(object);
      sha = parent;
    }
    // A parent named is not always there (a shallow clone's boundary): `since` must be read too.
    if ((await this.#commitObject(since)) === null) return null;
    return walked.reverse();
  }

  /** Whether git rewrites some commits' parents here: `shallow` or `info/grafts` (common dir). */
  async #grafted(): Promise<boolean> {
    const paths = [join(this.gitDir, 'shallow'), join(this.gitDir, 'info', 'grafts')];
    const found = await Promise.all(
      paths.map((path) =>
        stat(path).then(
          () => true,
          () => false,
        ),
      ),
    );
    return found.includes(true);
  }

  isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    return this.#isAncestor(ancestor, descendant, false);
  }

  async #isAncestor(ancestor: string, descendant: string, afresh: boolean): Promise<boolean> {
    const from = await this.#resolveKnown(ancestor);
    const to = await this.#resolveKnown(descendant);
    // A commit this repository does not have is nobody's ancestor or descendant here.
    if (from === null || to === null) return false;
    // A cursor a few first-parent steps below the head (a daemon's new commit) needs no merge-base.
    if (!afresh && (from === to || (await this.#walkFirstParents(from, to)) !== null)) return true;
    const args = ['merge-base', '--is-ancestor', from, to];
    const result = await this.#run(args);
    if (result.exitCode === 0 || result.exitCode === 1) return result.exitCode === 0;
    if (!afresh) {
      // A remembered commit may have been pruned since (gc after a force push): ask git afresh.
      this.#commits.delete(from);
      this.#commits.delete(to);
      return this.#isAncestor(ancestor, descendant, true);
    }
    throw failure(args, result);
  }

  async readCommit(sha: string): Promise<CommitInfo> {
    const commit = await this.#resolve(sha);
    const args = ['log', '-1', '-z', '--no-show-signature', '--encoding=UTF-8'];
    const output = await this.#runOk([...args, `--format=${LOG_FORMAT}`, commit, '--']);
    const parser = new LogParser('');
    const [parsed] = [...parser.push(output), ...parser.end()];
    if (parsed === undefined) throw new GitError(`git log printed nothing for ${commit}`);
    const { changes: _changes, ...info } = parsed;
    return info;
  }

  async *readCommits(opts: ReadCommitsOptions): AsyncGenerator<CommitChanges> {
    const dir = normalizeDir(opts.dir);
    const until = await this.#resolve(opts.until);
    const since = opts.since === null ? null : await this.#resolve(opts.since);
    const near = since === null ? null : await this.#readNear(since, until, dir);
    if (near !== null) {
      yield* near;
      return;
    }
    yield* readCommitRange({
      cwd: this.path,
      since,
      until,
      dir,
      track: (child) => this.#track(child),
    });
  }

  /**
   * The commits in (since, until] with their manifest changes, read through cat-file when `since`
   * is a few first-parent steps below `until`: each commit's folder tree against its first
   * parent's, walked here (two trees held at a time). Null when `git log` must answer: further,
   * a commit or tree git would read differently, a possible rename, a folder tree too large.
   */
  async #readNear(since: string, until: string, dir: string): Promise<CommitChanges[] | null> {
    if (since === until) return [];
    const commits = await this.#walkFirstParents(since, until);
    if (commits === null) return null;
    const hashBytes = since.length / 2;
    // The range's start is usually the last range's end, kept. Each next tree is asked for while
    // the last two are compared: memory holds at most three.
    const kept = this.#lastTree?.key === `${since}:${dir}` ? this.#lastTree : null;
    let next = commits[0] ? this.#readFolder(commits[0].info.sha, dir) : null;
    let before = kept ? kept.tree : await this.#readFolder(since, dir);
    const read: CommitChanges[] = [];
    for (const [i, { info }] of commits.entries()) {
      const after = await next;
      const following = commits[i + 1];
      next = following ? this.#readFolder(following.info.sha, dir) : null;
      if ((before?.length ?? 0) + (after?.length ?? 0) > 2 * WALK_TREE_BYTES) return null;
      const changes = diffManifestTrees(before, after, dir, hashBytes);
      if (changes === null) return null;
      read.push({ ...info, parents: [...info.parents], notes: [...info.notes], changes });
      before = after;
      this.#lastTree = { key: `${info.sha}:${dir}`, tree: after };
    }
    return read;
  }

  /** A revision's manifest folder as a raw tree object; null when it is not a folder there. */
  #readFolder(sha: string, dir: string): Promise<Buffer | null> {
    const reading = this.#readObject(dir === '' ? `${sha}^{tree}` : `${sha}:${dir}`).then(
      (object) => (object?.type === 'tree' ? object.content : null),
    );
    reading.catch(() => {}); // asked ahead: a range given up on may never await it
    return reading;
  }

  async countCommits(opts: { since: string | null; until: string }): Promise<number> {
    const until = await this.#resolve(opts.until);
    const since = opts.since === null ? null : await this.#resolve(opts.since);
    const near = since === null ? null : await this.#walkFirstParents(since, until);
    if (near !== null) return near.length;
    const range = since === null ? until : `${since}..${until}`;
    const output = await this.#runOk(['rev-list', '--first-parent', '--count', range, '--']);
    return Number(output.toString('utf8').trim());
  }

  async listCommits(opts: { since: string | null; until: string }): Promise<string[]> {
    const until = await this.#resolve(opts.until);
    const since = opts.since === null ? null : await this.#resolve(opts.since);
    const near = since === null ? null : await this.#walkFirstParents(since, until);
    if (near !== null) return near.map(({ info }) => info.sha);
    const range = since === null ? until : `${since}..${until}`;
    const output = await this.#runOk(['rev-list', '--first-parent', '--reverse', range, '--']);
    return output.toString('utf8').split('\n').filter(Boolean);
  }

  async rootCommit(revision: string): Promise<string> {
    const until = await this.#resolve(revision);
    const known = this.#roots.get(until);
    if (known !== undefined) return known;
    const output = await this.#runOk([
      'rev-list',
      '--first-parent',
      '--max-parents=0',
      until,
      '--',
    ]);
    const roots = output.toString('utf8').trim().split('\n');
    const root = roots.at(-1) ?? until;
    if (this.#roots.size >= CACHE_LIMIT) this.#roots.clear();
    this.#roots.set(until, root);
    return root;
  }

  async listRevisions(revision: string): Promise<Set<string>> {
    const until = await this.#resolve(revision);
    const output = await this.#runOk(['rev-list', '--first-parent', until, '--']);
    return new Set(output.toString('utf8').split('\n').filter(Boolean));
  }

  async diffRevisions(opts: { from: string; to: string; dir: string }): Promise<FileChange[]> {
    const dir = normalizeDir(opts.dir);
    const from = await this.#resolve(opts.from);
    const to = await this.#resolve(opts.to);
    return parseRawDiff(await this.#runOk(diffTreeArgs(from, to, dir)), dir);
  }

  async isShallow(): Promise<boolean> {
    const output = await this.#runOk(['rev-parse', '--is-shallow-repository']);
    return output.toString('utf8').trim() === 'true';
  }

  async readSnapshot(opts: { revision: string; dir: string }): Promise<SnapshotEntry[]> {
    const dir = normalizeDir(opts.dir);
    const commit = await this.#resolve(opts.revision);
    // The folder's tree through the long-lived cat-file, listed here: no process. A revision
    // without the folder (or with a file in its place) has no manifests.
    const folder = await this.#readFolder(commit, dir);
    if (folder === null) return [];
    const listed = listManifestTree(folder, dir, commit.length / 2);
    if (listed !== null) return listed;
    const output = await this.#runOk(['ls-tree', '-z', dir === '' ? commit : `${commit}:${dir}`]);
    return parseTreeListing(output, dir);
  }

  async dirExisted(opts: { revision: string; dir: string }): Promise<boolean> {
    const dir = normalizeDir(opts.dir);
    if (dir === '') return true;
    const commit = await this.#resolve(opts.revision);
    if ((await this.#readFolder(commit, dir)) !== null) return true;
    // Not at the revision: any first-parent commit that touched the path means it was there once.
    const args = ['log', '-1', '--first-parent', '--format=%H', commit, '--'];
    const touched = await this.#runOk([...args, ...manifestPathspec(dir)]);
    return touched.toString('utf8').trim() !== '';
  }

  async readBlobs(oids: readonly string[]): Promise<Map<string, string>> {
    const blobs = await this.readBlobsUpTo(oids, Number.POSITIVE_INFINITY);
    return new Map([...blobs].map(([oid, blob]) => [oid, blob.text ?? '']));
  }

  async readBlobsUpTo(
    oids: readonly string[],
    maxBytes: number,
    budget?: number,
  ): Promise<Map<string, SizedText>> {
    this.#assertOpen();
    const unique = [...new Set(oids)];
    const blobs = await Promise.all(this.#blobs.read(unique, maxBytes, budget));
    return new Map(
      unique.map((oid, i) => {
        const blob = blobs[i];
        const text = blob?.content?.toString('utf8') ?? null;
        const sized: SizedText = { text, bytes: blob?.size ?? 0 };
        return [oid, blob?.deferred ? { ...sized, deferred: true } : sized];
      }),
    );
  }

  async readBlob(oid: string): Promise<string> {
    this.#assertOpen();
    const [blob] = await Promise.all(this.#blobs.read([oid]));
    return blob?.content?.toString('utf8') ?? '';
  }

  close(): Promise<void> {
    if (this.#closed !== null) return this.#closed;
    // A paused reader would hold stdout open, so wait for the exit rather than for 'close'.
    const exits = [...this.#running].map((child) => {
      const exited = new Promise<void>((done) => {
        if (child.exitCode !== null || child.signalCode !== null) done();
        else child.once('exit', () => done());
      });
      child.stdout.destroy();
      child.kill();
      return exited;
    });
    this.#closed = Promise.all([this.#blobs.close(), ...exits]).then(() => undefined);
    return this.#closed;
  }

  #track(child: ChildProcessWithoutNullStreams): () => void {
    this.#running.add(child);
    return () => this.#running.delete(child);
  }

  #assertOpen(): void {
    if (this.#closed !== null) throw new GitError('the repository is closed');
  }

  /** resolveRevision, answered without git for a full sha already resolved as a commit. */
  async #resolveKnown(rev: string): Promise<string | null> {
    this.#assertOpen();
    return this.#commits.has(rev) ? rev : this.resolveRevision(rev);
  }

  async #resolve(rev: string): Promise<string> {
    const sha = await this.#resolveKnown(rev);
    if (sha === null) throw new UnknownRevisionError(rev);
    return sha;
  }

  #run(args: readonly string[]) {
    this.#assertOpen();
    return runGit(this.path, args);
  }

  #runOk(args: readonly string[]): Promise<Buffer> {
    this.#assertOpen();
    return runGitOk(this.path, args);
  }

  #text(args: readonly string[], result: Awaited<ReturnType<typeof runGit>>): string {
    if (result.exitCode !== 0) throw failure(args, result);
    return result.stdout.toString('utf8').trim();
  }
}

/** Adds to a bounded set: cleared whole when full, which costs only a few git calls again. */
function remember(set: Set<string>, value: string): void {
  if (set.size >= CACHE_LIMIT) set.clear();
  set.add(value);
}

/** Parses `ls-tree -z` lines (`<mode> <type> <oid>\t<name>`) into the manifests they list. */
function parseTreeListing(output: Buffer, dir: string): SnapshotEntry[] {
  const entries: SnapshotEntry[] = [];
  for (const line of output.toString('utf8').split('\0')) {
    const tab = line.indexOf('\t');
    if (tab === -1) continue;
    const [mode = '', type, oid = ''] = line.slice(0, tab).split(' ');
    const name = line.slice(tab + 1);
    if (type !== 'blob' || !isRegularFile(mode) || !isManifestName(name)) continue;
    entries.push({ path: dir === '' ? name : `${dir}/${name}`, oid });
  }
  return entries;
}
