// The git half of the floors: the least git work a sync can do, with plain processes and no
// code from src/ (one listing or log, then every blob through one `git cat-file --batch`).
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';

/** Runs git to completion and returns its stdout as bytes (asynchronous: the event loop stays free). */
export function gitBytes(cwd: string, args: string[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      err += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out));
      else reject(new Error(`git ${args.join(' ')} exited ${code}: ${err}`));
    });
  });
}

/** One manifest file at a revision: its path and blob id. */
export interface Entry {
  path: string;
  oid: string;
}

/** `git ls-tree -r -z <revision> -- <dir>/`: every file of the folder. */
export async function listTree(repo: string, revision: string, dir: string): Promise<Entry[]> {
  const out = (await gitBytes(repo, ['ls-tree', '-r', '-z', revision, '--', `${dir}/`])).toString(
    'utf8',
  );
  const entries: Entry[] = [];
  for (const record of out.split('\0')) {
    if (!record) continue;
    const tab = record.indexOf('\t');
    const [, type, oid] = record.slice(0, tab).split(' ');
    if (type === 'blob' && oid) entries.push({ path: record.slice(tab + 1), oid });
  }
  return entries;
}

/** One commit of a `git log --raw`: its sha and the files it added or modified (deletions carry no blob). */
export interface LoggedCommit {
  sha: string;
  changed: Entry[];
}

/**
 * `git log --first-parent --reverse --raw` over (from, to] for the folder: the commits and their
 * changed blobs, oldest first. No rename detection (`-M`): the floor does the least git can.
 */
export async function logRaw(
  repo: string,
  from: string,
  to: string,
  dir: string,
): Promise<LoggedCommit[]> {
  const out = (
    await gitBytes(repo, [
      'log',
      '--first-parent',
      '--reverse',
      '--raw',
      '--no-abbrev',
      '--no-renames',
      '--format=commit %H',
      `${from}..${to}`,
      '--',
      `${dir}/`,
    ])
  ).toString('utf8');
  const commits: LoggedCommit[] = [];
  for (const line of out.split('\n')) {
    if (line.startsWith('commit ')) commits.push({ sha: line.slice(7), changed: [] });
    else if (line.startsWith(':')) {
      const tab = line.indexOf('\t');
      const [, , , newOid, status] = line.slice(1, tab).split(' ');
      if (newOid && status !== 'D')
        commits.at(-1)?.changed.push({ path: line.slice(tab + 1), oid: newOid });
    }
  }
  return commits;
}

/**
 * One long-lived `git cat-file --batch`: ids written to its stdin, answers cut from its stdout by
 * their size headers, in order. `read` may be called again (the daemon's floor keeps it open).
 */
export class CatFile {
  readonly #child: ChildProcessWithoutNullStreams;
  #waiting: {
    count: number;
    texts: string[];
    resolve: (texts: string[]) => void;
    reject: (error: Error) => void;
  }[] = [];
  #pending: Buffer = Buffer.alloc(0);
  #bodySize = -1;
  #failure: Error | null = null;

  /** `buffered`: git's `--buffer` (no flush per object; answers come once stdin is closed). */
  constructor(repo: string, buffered = false) {
    const args = ['cat-file', '--batch', ...(buffered ? ['--buffer'] : [])];
    this.#child = spawn('git', args, { cwd: repo });
    this.#child.stderr.resume();
    this.#child.stdout.on('data', (chunk: Buffer) => this.#take(chunk));
    this.#child.on('error', (error) => this.#fail(error));
    this.#child.on('close', (code) =>
      this.#fail(new Error(`cat-file exited ${code} before answering every id`)),
    );
  }

  /** Rejects every read in flight, and every later one. */
  #fail(error: Error) {
    this.#failure ??= error;
    for (const request of this.#waiting.splice(0)) request.reject(error);
  }

  #take(chunk: Buffer) {
    this.#pending = this.#pending.length ? Buffer.concat([this.#pending, chunk]) : chunk;
    for (;;) {
      if (this.#bodySize < 0) {
        const newline = this.#pending.indexOf(10);
        if (newline < 0) return;
        const header = this.#pending.subarray(0, newline).toString('latin1');
        const size = Number(header.split(' ')[2]);
        if (!Number.isFinite(size)) return this.#fail(new Error(`cat-file: ${header}`));
        this.#bodySize = size;
        this.#pending = this.#pending.subarray(newline + 1);
      }
      if (this.#pending.length < this.#bodySize + 1) return;
      const request = this.#waiting[0];
      request?.texts.push(this.#pending.subarray(0, this.#bodySize).toString('utf8'));
      this.#pending = this.#pending.subarray(this.#bodySize + 1);
      this.#bodySize = -1;
      if (request && request.texts.length === request.count) {
        this.#waiting.shift();
        request.resolve(request.texts);
      }
    }
  }

  /** The texts of `oids`, in order. */
  read(oids: readonly string[]): Promise<string[]> {
    if (this.#failure) return Promise.reject(this.#failure);
    if (oids.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      this.#waiting.push({ count: oids.length, texts: [], resolve, reject });
      this.#child.stdin.write(`${oids.join('\n')}\n`);
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.#child.once('close', () => resolve());
      this.#child.stdin.end();
    });
  }
}

/**
 * Reads every blob of `oids` through one `git cat-file --batch --buffer` started for the
 * purpose: all ids written, stdin closed, the answers read as git streams them.
 */
export async function catFileBatch(repo: string, oids: readonly string[]): Promise<string[]> {
  const reader = new CatFile(repo, true);
  const texts = reader.read(oids);
  await reader.close();
  return texts;
}
