import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { GitError } from '../errors.js';
import { collectStderr, spawnGit } from './gitProcess.js';

const OID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
const NEWLINE = 10;
const CLOSE_TIMEOUT_MS = 5_000;

/** One blob as read: its bytes, or null when it was larger than the request allowed (skipped unread). */
export interface BlobBytes {
  content: Buffer | null;
  /** The size git reports, in bytes. */
  size: number;
  /** Left unread because its call's budget was spent before it: to be asked again later. */
  deferred?: true;
}

/**
 * Bytes the blobs of one `read` call may take together. The first blob is always read; from the
 * first one that does not fit, every later blob of the call is deferred (skipped as it streams
 * past), so what is read is a prefix of the call.
 */
interface Budget {
  left: number;
  read: number;
  spent: boolean;
}

/** Any object a name resolves to (a commit, a tree, a blob), with its id and type. */
export interface GitObject {
  oid: string;
  type: string;
  content: Buffer;
}

/** A line asked of cat-file, answered in order: a blob's bytes, or (kind 'object') any object. */
type Request = {
  oid: string;
  /** Larger blobs are skipped as they stream past, never held in memory. */
  maxBytes: number;
  /** Shared by the requests of one call, when it has one. */
  budget?: Budget;
  reject: (error: Error) => void;
} & (
  | { kind: 'blob'; resolve: (blob: BlobBytes) => void }
  /** Any type, answered with its id and type, and null when the name resolves to none. */
  | { kind: 'object'; resolve: (object: GitObject | null) => void }
);

interface Body {
  oid: string;
  type: string;
  size: number;
  /** The bytes kept; null while a blob over its request's limit, or deferred, streams past. */
  parts: Buffer[] | null;
  deferred: boolean;
  received: number;
  /** The last byte received: the newline closing the body, checked also when it is skipped. */
  last: number;
}

/** A socket-like stream or process whose hold on the event loop can be released. */
interface Refable {
  ref?: () => void;
  unref?: () => void;
}

/**
 * Reads blobs through one long-lived `git cat-file --batch`, started by `start()` or the first request. Requests are
 * pipelined (one line each on stdin) and answered in order; responses are cut from the stdout stream
 * by their byte-size header, so a blob may span any number of chunks. If git dies, the requests in
 * flight reject and the next request starts a new process.
 */
export class BlobReader {
  readonly #cwd: string;
  #child: ChildProcessWithoutNullStreams | null = null;
  #stderr: () => string = () => '';
  #queue: (Request | undefined)[] = [];
  #head = 0;
  #headerParts: Buffer[] = [];
  #body: Body | null = null;
  #closing: Promise<void> | null = null;

  constructor(cwd: string) {
    this.#cwd = cwd;
  }

  /**
   * The raw bytes of each blob, in the order of `oids`. A blob larger than `maxBytes` is measured
   * by cat-file's header and discarded chunk by chunk as it streams past, so memory stays bounded
   * whatever was committed; its answer carries only the size. With `budget`, the blobs read take
   * at most that many bytes together (or the first blob's, if larger): the read ones are a prefix
   * of `oids`, the rest come back `deferred`, unread.
   */
  read(
    oids: readonly string[],
    maxBytes = Number.POSITIVE_INFINITY,
    budget?: number,
  ): Promise<BlobBytes>[] {
    const shared = budget === undefined ? undefined : { left: budget, read: 0, spent: false };
    return this.#ask(
      oids,
      (oid) => !OID.test(oid) && 'not an object id',
      (oid, resolve: (blob: BlobBytes) => void, reject) => ({
        oid,
        maxBytes,
        ...(shared ? { budget: shared } : {}),
        kind: 'blob',
        resolve,
        reject,
      }),
    );
  }

  /**
   * The object each name resolves to (`refs/heads/main^{commit}`, `<commit>:<dir>`, an oid), read
   * whole, or null when it names none (missing, ambiguous). One line each on the same process: no
   * git is started per question. Refs are read afresh each time (git does not cache them).
   */
  readObjects(names: readonly string[]): Promise<GitObject | null>[] {
    return this.#ask(
      names,
      (name) => (name === '' || /[\n\r\0]/.test(name)) && 'not an object name',
      (oid, resolve: (object: GitObject | null) => void, reject) => ({
        oid,
        maxBytes: Number.POSITIVE_INFINITY,
        kind: 'object',
        resolve,
        reject,
      }),
    );
  }

  /**
   * Queues one request per line and writes the lines to cat-file at once; every line is refused
   * when one is malformed (`refusal` names why) or the reader is closed.
   */
  #ask<T>(
    lines: readonly string[],
    refusal: (line: string) => string | false,
    request: (line: string, resolve: (value: T) => void, reject: (error: Error) => void) => Request,
  ): Promise<T>[] {
    if (this.#closing !== null) {
      return lines.map(() => Promise.reject(new GitError('the repository is closed')));
    }
    for (const line of lines) {
      const why = refusal(line);
      if (why)
        return lines.map(() => Promise.reject(new GitError(`${why}: ${JSON.stringify(line)}`)));
    }
    if (lines.length === 0) return [];
    const child = this.#start();
    const replies = lines.map(
      (line) =>
        new Promise<T>((resolve, reject) => this.#queue.push(request(line, resolve, reject))),
    );
    this.#setRef(true);
    child.stdin.write(`${lines.join('\n')}\n`);
    return replies;
  }

  /**
   * Starts cat-file now rather than at the first request: a command about to open the embedded
   * database starts it while the process is small (a fork copies the parent's page tables, and
   * PGlite's memory makes them large). Idle, it keeps no one waiting: the process may exit.
   */
  start(): void {
    if (this.#closing !== null || this.#child !== null) return;
    this.#start();
    if (this.#queue.length === this.#head) this.#setRef(false);
  }

  /** Ends the cat-file process after it answers what is in flight; safe to call twice. */
  close(): Promise<void> {
    if (this.#closing !== null) return this.#closing;
    const child = this.#child;
    if (child === null) {
      this.#closing = Promise.resolve();
      return this.#closing;
    }
    this.#setRef(true);
    this.#closing = new Promise<void>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), CLOSE_TIMEOUT_MS);
      child.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      child.stdin.end();
    });
    return this.#closing;
  }

  #start(): ChildProcessWithoutNullStreams {
    if (this.#child !== null) return this.#child;
    const child = spawnGit(this.#cwd, ['cat-file', '--batch']);
    this.#child = child;
    this.#stderr = collectStderr(child);
    child.stdout.on('data', (chunk: Buffer) => {
      if (this.#child === child) this.#onData(chunk);
    });
    child.stdin.on('error', () => {}); // EPIPE when git died; 'close' below reports it.
    child.on('error', (error) => this.#onExit(child, error));
    child.on('close', (code, signal) => {
      const why = this.#stderr() || `exit code ${code ?? signal}`;
      this.#onExit(child, new GitError(`git cat-file --batch stopped: ${why}`));
    });
    return child;
  }

  #onData(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length) {
      const body = this.#body;
      if (body !== null) {
        const take = Math.min(body.size + 1 - body.received, chunk.length - offset);
        body.parts?.push(chunk.subarray(offset, offset + take));
        body.received += take;
        body.last = chunk[offset + take - 1] ?? -1;
        offset += take;
        if (body.received === body.size + 1) this.#onBody(body);
        continue;
      }
      const newline = chunk.indexOf(NEWLINE, offset);
      if (newline === -1) {
        this.#headerParts.push(chunk.subarray(offset));
        return;
      }
      const line = Buffer.concat([...this.#headerParts, chunk.subarray(offset, newline)]);
      this.#headerParts = [];
      offset = newline + 1;
      this.#onHeader(line.toString('utf8'));
    }
  }

  /** `<oid> <type> <size>` before a body, or `<name> missing` / `<name> ambiguous` alone. */
  #onHeader(line: string): void {
    const fields = line.split(' ');
    const [oid = '', type = '', sizeText = ''] = fields;
    if (fields.length !== 3 || !OID.test(oid)) {
      const what = line.slice(line.lastIndexOf(' ') + 1);
      this.#settle((request) =>
        request.kind === 'object'
          ? request.resolve(null)
          : request.reject(new GitError(`blob ${request.oid} is ${what}`)),
      );
      return;
    }
    const size = Number(sizeText);
    if (!Number.isSafeInteger(size) || size < 0) {
      this.#fail(new GitError(`unexpected git cat-file header: ${JSON.stringify(line)}`));
      return;
    }
    const request = this.#queue[this.#head];
    const deferred =
      request?.budget !== undefined && !admit(request.budget, size, request.maxBytes);
    const keep = request === undefined || (!deferred && size <= request.maxBytes);
    this.#body = { oid, type, size, parts: keep ? [] : null, deferred, received: 0, last: -1 };
  }

  #onBody(body: Body): void {
    this.#body = null;
    if (body.last !== NEWLINE) {
      this.#fail(new GitError('git cat-file output is out of step with its size header'));
      return;
    }
    const parts = body.parts;
    const content =
      parts === null
        ? null
        : (parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts)).subarray(0, body.size);
    this.#settle((request) => {
      if (request.kind === 'object')
        request.resolve({
          oid: body.oid,
          type: body.type,
          content: content ?? Buffer.alloc(0),
        });
      else if (body.type === 'blob')
        request.resolve(
          body.deferred
            ? { content: null, size: body.size, deferred: true }
            : { content, size: body.size },
        );
      else request.reject(new GitError(`object ${request.oid} is a ${body.type}, not a blob`));
    });
  }

  /** Answers the oldest request in flight. */
  #settle(answer: (request: Request) => void): void {
    const request = this.#queue[this.#head];
    if (request === undefined) {
      this.#fail(new GitError('git cat-file answered a request that was never made'));
      return;
    }
    this.#queue[this.#head] = undefined; // let the answered request be collected
    this.#head += 1;
    if (this.#head === this.#queue.length) {
      this.#queue = [];
      this.#head = 0;
      this.#setRef(false);
    }
    answer(request);
  }

  /** Kills a process whose output can no longer be trusted; its 'close' rejects what is in flight. */
  #fail(error: Error): void {
    const child = this.#child;
    if (child !== null) this.#onExit(child, error);
    child?.kill();
  }

  #onExit(child: ChildProcessWithoutNullStreams, error: Error): void {
    if (this.#child !== child) return;
    this.#child = null;
    const pending = this.#queue.slice(this.#head);
    this.#queue = [];
    this.#head = 0;
    this.#headerParts = [];
    this.#body = null;
    for (const request of pending) request?.reject(error);
  }

  /** An idle cat-file must not keep Node running; one with requests in flight must. */
  #setRef(on: boolean): void {
    const child = this.#child;
    if (child === null) return;
    for (const handle of [child, child.stdin, child.stdout, child.stderr] as Refable[]) {
      if (on) handle.ref?.();
      else handle.unref?.();
    }
  }
}

/**
 * Whether a blob of `size` bytes is read within its call's budget (and spends it), or deferred:
 * the first blob of a call always fits, and once one is deferred all later ones are. A blob over
 * `maxBytes` is never read anyway, and spends nothing.
 */
function admit(budget: Budget, size: number, maxBytes: number): boolean {
  if (budget.spent) return false;
  if (size > maxBytes) return true;
  if (budget.read > 0 && size > budget.left) {
    budget.spent = true;
    return false;
  }
  budget.left -= size;
  budget.read += 1;
  return true;
}
