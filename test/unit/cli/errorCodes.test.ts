import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommanderError } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EXIT_CODE, exitCodeFor } from '../../../src/cli/exitCodes.js';
import { main } from '../../../src/cli/main.js';
import { HTTP_STATUS, httpStatusFor } from '../../../src/daemon/httpStatus.js';
import * as errors from '../../../src/errors.js';
import {
  BindingConflictError,
  ConfigError,
  DatabaseError,
  errorCodeOf,
  type FailureCode,
  GitError,
  InvalidInputError,
  ManifestSyncError,
  NotAncestorError,
  NotARepositoryError,
  NotFoundError,
  OperatorRefusedError,
  ShallowHistoryError,
  SourceMissingError,
  StoreLockedError,
  SuspendedError,
  UnknownRevisionError,
} from '../../../src/errors.js';

/** Every error class, its code, and the exit code and HTTP status a user sees (as before issue 16). */
const OURS: [ManifestSyncError, FailureCode, number, number][] = [
  [new ConfigError('bad flag'), 'usage', 2, 500],
  [new DatabaseError('no schema yet'), 'database', 3, 503],
  [new StoreLockedError('held by pid 1'), 'store-locked', 3, 503],
  [new InvalidInputError('not a manifest'), 'invalid-input', 1, 500],
  [new NotFoundError('no connector has the slug x'), 'not-found', 5, 500],
  [new BindingConflictError('--branch contradicts'), 'binding-conflict', 7, 500],
  [new SourceMissingError('no branch main'), 'source-missing', 8, 500],
  [new SuspendedError('suspended'), 'suspended', 6, 409],
  [new GitError('git log failed'), 'git', 4, 500],
  [new NotARepositoryError('/tmp is not a repository'), 'not-a-repository', 4, 500],
  [new UnknownRevisionError('nope'), 'unknown-revision', 5, 500],
  [new NotAncestorError('base is not an ancestor'), 'not-ancestor', 11, 500],
  [new ShallowHistoryError('shallow'), 'shallow-history', 12, 500],
  [new OperatorRefusedError('unknown-connector', 'm'), 'unknown-connector', 5, 404],
  [new OperatorRefusedError('unknown-version', 'm'), 'unknown-version', 5, 404],
  [new OperatorRefusedError('wrong-target', 'm'), 'wrong-target', 20, 409],
  [new OperatorRefusedError('connector-gone', 'm'), 'connector-gone', 21, 409],
  [new OperatorRefusedError('yank-state', 'm'), 'yank-state', 22, 409],
  [new OperatorRefusedError('nowhere-to-go', 'm'), 'nowhere-to-go', 23, 409],
];

/** A PostgreSQL server error as pg and PGlite raise it: `severity` and a SQLSTATE `code`. */
const serverError = (code: string, message: string) =>
  Object.assign(new Error(message), { name: 'error', severity: 'ERROR', code });

/** Errors that are not ours: commander's, pg's and PGlite's, node's, and bugs. */
const FOREIGN: [string, unknown, FailureCode, number, number][] = [
  [
    'commander: unknown option',
    new CommanderError(1, 'commander.unknownOption', 'x'),
    'usage',
    2,
    500,
  ],
  [
    'pg: connection refused',
    Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }),
    'database',
    3,
    503,
  ],
  [
    'pg: the server shutting down',
    serverError('57P01', 'terminating connection'),
    'database',
    3,
    503,
  ],
  ['pg: no such database', serverError('3D000', 'database "x" does not exist'), 'database', 3, 503],
  [
    'pg: connection terminated',
    new Error('Connection terminated unexpectedly'),
    'database',
    3,
    503,
  ],
  [
    'kysely: a connection error as the cause',
    new Error('query failed', { cause: serverError('08006', 'gone') }),
    'database',
    3,
    503,
  ],
  [
    'ours wrapping a connection error',
    new DatabaseError('cannot connect', { cause: serverError('08001', 'x') }),
    'database',
    3,
    503,
  ],
  [
    'ours wins over its cause (a git pipe closed)',
    new GitError('cat-file stopped', {
      cause: Object.assign(new Error('write'), { code: 'EPIPE' }),
    }),
    'git',
    4,
    500,
  ],
  [
    'a query error is a bug, not an outage',
    serverError('42P01', 'relation "x" does not exist'),
    'internal',
    70,
    500,
  ],
  [
    'a code that only looks like ours',
    Object.assign(new Error('x'), { code: 'suspended' }),
    'internal',
    70,
    500,
  ],
  [
    'a class named like ours',
    Object.assign(new Error('x'), { name: 'NotFoundError' }),
    'internal',
    70,
    500,
  ],
  ['a plain Error', new Error('boom'), 'internal', 70, 500],
  ['a thrown string', 'boom', 'internal', 70, 500],
  ['undefined', undefined, 'internal', 70, 500],
];

describe('error codes', () => {
  it.each(OURS)('%s is %s: exit %i, HTTP %i', (error, code, exit, status) => {
    expect(error.code).toBe(code);
    expect(errorCodeOf(error)).toBe(code);
    expect(exitCodeFor(error)).toBe(exit);
    expect(httpStatusFor(error)).toBe(status);
  });

  it.each(FOREIGN)('%s is %s: exit %i, HTTP %i', (_, error, code, exit, status) => {
    expect(errorCodeOf(error)).toBe(code);
    expect(exitCodeFor(error)).toBe(exit);
    expect(httpStatusFor(error)).toBe(status);
  });

  it('every error class exported from src/errors.ts has a row above', () => {
    const classes = Object.values(errors).filter(
      (value) => typeof value === 'function' && value.prototype instanceof ManifestSyncError,
    );
    const covered = new Set(OURS.map(([error]) => error.constructor));
    expect(classes.length).toBeGreaterThanOrEqual(14);
    for (const errorClass of classes) expect(covered.has(errorClass)).toBe(true);
  });

  it('both tables cover every code, and only exit codes and statuses that exist', () => {
    const codes = new Set([...OURS.map(([, code]) => code), 'internal']);
    expect(new Set(Object.keys(EXIT_CODE))).toEqual(codes);
    expect(new Set(Object.keys(HTTP_STATUS))).toEqual(codes);
    for (const status of Object.values(HTTP_STATUS)) expect([404, 409, 500, 503]).toContain(status);
  });

  it('a refusal code from the daemon is checked before it becomes an error', () => {
    expect(errors.isRefusalCode('wrong-target')).toBe(true);
    expect(errors.isRefusalCode('suspended')).toBe(false);
    expect(errors.isRefusalCode('toString')).toBe(false);
    expect(errors.isRefusalCode(undefined)).toBe(false);
  });
});

describe('--json errors carry the code', () => {
  const dirs: string[] = [];
  afterEach(() => {
    vi.restoreAllMocks();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  /** Runs the CLI in this process and returns its exit code and the one JSON error on stderr. */
  const runJson = async (args: string[]) => {
    const written: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const exitCode = await main(['node', 'manifest-sync', ...args, '--json']);
    vi.restoreAllMocks();
    return { exitCode, error: JSON.parse(written.join('')).error };
  };

  it.each([
    [['diff', '/nonexistent/a.json', '/nonexistent/b.json'], 'not-found', 5],
    [['diff', 'NOT_JSON', 'NOT_JSON'], 'invalid-input', 1],
    [['statsu'], 'usage', 2],
  ])('%j: %s, exit %i', async (args, code, exitCode) => {
    const dir = mkdtempSync(join(tmpdir(), 'ms-errors-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'bad.json'), '{ not json');
    const argv = args.map((arg) => (arg === 'NOT_JSON' ? join(dir, 'bad.json') : arg));
    const result = await runJson(argv);
    expect(result).toEqual({ exitCode, error: { code, exitCode, message: expect.any(String) } });
  });
});
