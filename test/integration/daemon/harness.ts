import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import pino, { type Logger } from 'pino';
import { vi } from 'vitest';
import {
  type Config,
  type DaemonConfig,
  type GlobalFlags,
  loadConfig,
  loadDaemonConfig,
} from '../../../src/config.js';
import { json } from '../../../src/daemon/http.js';
import { type RunningDaemon, startDaemon } from '../../../src/daemon/startDaemon.js';
import type { Database } from '../../../src/db/connection.js';
import { type CliProcess, type CliResult, startCliProcess } from '../../helpers/cli.js';
import { createTempRepo, type TempRepo } from '../../helpers/gitRepo.js';
import { buildManifest, manifestText } from '../../helpers/manifestBuilder.js';
import type { TestDatabase } from '../../helpers/testDatabase.js';

/** Silent unless DAEMON_TEST_LOG names a pino level (e.g. `DAEMON_TEST_LOG=debug`). */
export const testLogger: Logger = pino({ level: process.env.DAEMON_TEST_LOG ?? 'silent' });

/** Whether the tests run against a PostgreSQL server (TEST_DATABASE_URL). */
export const onPostgres = Boolean(process.env.TEST_DATABASE_URL);

/** Things to undo after each test, last first; every one runs even when an earlier one throws. */
export class Cleanup {
  readonly #steps: (() => unknown)[] = [];
  defer(step: () => unknown): void {
    this.#steps.push(step);
  }
  async run(): Promise<void> {
    const errors: unknown[] = [];
    for (const step of this.#steps.splice(0).reverse()) {
      try {
        await step();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length > 0) throw new AggregateError(errors, 'cleanup failed');
  }
}

/** A repository with a root commit (outside the manifests) and helpers to commit manifests. */
export function createManifestRepo(cleanup: Cleanup): TempRepo {
  const repo = createTempRepo();
  cleanup.defer(() => repo.cleanup());
  // A root commit of its own: the cursor is keyed by the root commit, and two test repositories
  // made in the same second with the same content would otherwise share one.
  repo.write('README.md', `# registry ${randomUUID()}\n`);
  repo.commit('root');
  return repo;
}

/** Writes `manifests/<slug>.json` (a valid manifest, `description` varied) and commits it. */
export function commitManifest(repo: TempRepo, slug: string, description?: string): string {
  const manifest = buildManifest({
    slug,
    name: `Connector ${slug}`,
    ...(description ? { description } : {}),
  });
  repo.write(`manifests/${slug}.json`, manifestText(manifest));
  return repo.commit(`${slug}: ${description ?? 'add'}`);
}

/**
 * Appends `count` commits to the current branch in one `git fast-import`, each adding a new
 * connector `bulk-<i>`; returns their shas, oldest first. Hundreds of commits in well under a second.
 */
export function bulkCommits(repo: TempRepo, count: number): string[] {
  const branch = repo.git('symbolic-ref', 'HEAD');
  const parent = repo.revParse();
  const chunks: string[] = [];
  const stamp = Math.floor(Date.now() / 1000);
  for (let i = 1; i <= count; i++) {
    const slug = `bulk-${String(i).padStart(4, '0')}`;
    const body = manifestText(buildManifest({ slug, name: `Bulk ${i}` }));
    const message = `add ${slug}\n`;
    chunks.push(
      `commit ${branch}\nmark :${i}\n`,
      `committer Test Author <test@example.com> ${stamp + i} +0000\n`,
      `data ${Buffer.byteLength(message)}\n${message}`,
      i === 1 ? `from ${parent}\n` : '',
      `M 100644 inline manifests/${slug}.json\ndata ${Buffer.byteLength(body)}\n${body}\n`,
    );
  }
  chunks.push(`done\n`);
  execFileSync('git', ['fast-import', '--quiet', '--done'], {
    cwd: repo.path,
    input: chunks.join(''),
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' },
  });
  repo.resetHard('HEAD');
  return repo.git('rev-list', '--reverse', `${parent}..HEAD`).split('\n');
}

/** The Config a CLI would build for this repository and database. */
export function testConfig(repo: TempRepo, testDb: TestDatabase, flags: GlobalFlags = {}): Config {
  return loadConfig(
    {
      repo: repo.path,
      dataDir: testDb.dataDir,
      ...(testDb.url ? { databaseUrl: testDb.url } : {}),
      ...flags,
    },
    {},
    repo.path,
  );
}

/** The DaemonConfig for tests: port 0 on 127.0.0.1, a 60 s poll unless told otherwise. */
export function testDaemonConfig(overrides: Partial<DaemonConfig> = {}): DaemonConfig {
  return {
    ...loadDaemonConfig({ httpPort: '0', host: '127.0.0.1', pollInterval: '60' }, {}),
    ...overrides,
  };
}

/** One stored version, as the tests compare them. */
export interface StoredVersion {
  slug: string;
  version: string;
  commit_sha: string | null;
}

/** What the database holds, as seen from the daemon's own connection. */
export interface StoredState {
  versions: StoredVersion[];
  /** The cursor's revisions (one per repository and branch). */
  cursors: string[];
}

/** Reads the versions and the cursor through any open database. */
export async function readStoredState(database: Database): Promise<StoredState> {
  const versions = await sql<StoredVersion>`
    SELECT c.slug, v.version, v.commit_sha
    FROM connectorversion v JOIN connector c ON c.id = v.connector_id
    ORDER BY c.slug, v.created_at, v.version`.execute(database.db);
  const cursors = await sql<{ revision: string }>`SELECT revision FROM sync_cursor`.execute(
    database.db,
  );
  return { versions: versions.rows, cursors: cursors.rows.map((row) => row.revision) };
}

/** A daemon started in this process, with the test's view into it. */
export interface TestDaemon {
  readonly running: RunningDaemon;
  readonly url: string;
  /** The database state, read through the daemon's own database (works on the embedded store). */
  state(): Promise<StoredState>;
  /** A metric's value from `/metrics`, or undefined when the series is absent. */
  metric(name: string, labels?: Record<string, string>): Promise<number | undefined>;
  /** Releases the gate (see `gated`), letting the first pass run. */
  openGate(): void;
  /** A pass is running or a nudged one is about to start (the loop's own answer). */
  busy(): boolean;
  stop(): Promise<void>;
}

/** Options for {@link startTestDaemon}. */
export interface TestDaemonOptions {
  daemon?: Partial<DaemonConfig>;
  /**
   * Hold a transaction with an exclusive lock on `sync_cursor` on the daemon's own database from
   * before its first pass until `openGate()`, so the first pass cannot finish.
   */
  gated?: boolean;
}

/** Starts `startDaemon` in this process; stopped by `cleanup` if the test does not stop it. */
export async function startTestDaemon(
  config: Config,
  cleanup: Cleanup,
  options: TestDaemonOptions = {},
): Promise<TestDaemon> {
  let database: Database | null = null;
  let busy = () => true;
  let openGate = () => {};
  let gateHeld: Promise<unknown> = Promise.resolve();
  const running = await startDaemon(config, testDaemonConfig(options.daemon), testLogger, {
    routes: (parts) => {
      database = parts.database;
      busy = parts.busy;
      if (options.gated) {
        const gate = new Promise<void>((resolve) => {
          openGate = resolve;
        });
        gateHeld = parts.database.db.transaction().execute(async (trx) => {
          await sql`LOCK TABLE sync_cursor IN ACCESS EXCLUSIVE MODE`.execute(trx);
          await gate;
        });
      }
      return [
        {
          method: 'GET',
          pattern: '/test/state',
          handler: async () => json(200, await readStoredState(parts.database)),
        },
      ];
    },
  });
  const stop = async () => {
    openGate();
    await gateHeld.catch(() => {});
    await running.stop();
  };
  cleanup.defer(stop);
  if (!database) throw new Error('the route factory was not called');
  return {
    running,
    url: running.url,
    async state() {
      const response = await fetch(`${running.url}/test/state`);
      if (!response.ok) throw new Error(`GET /test/state: ${response.status}`);
      return (await response.json()) as StoredState;
    },
    metric: (name, labels) => readMetric(running.url, name, labels),
    openGate: () => openGate(),
    busy: () => busy(),
    stop,
  };
}

/** Reads one series from a daemon's `/metrics`. */
export async function readMetric(
  url: string,
  name: string,
  labels: Record<string, string> = {},
): Promise<number | undefined> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const wanted = Object.entries(labels)
    .map(([key, value]) => `${key}="${value}"`)
    .join(',');
  const prefix = wanted ? `${name}{${wanted}} ` : `${name} `;
  const line = text.split('\n').find((l) => l.startsWith(prefix));
  return line === undefined ? undefined : Number(line.slice(prefix.length));
}

/** The total of `manifest_sync_passes_total` over both outcomes. */
export async function passCount(url: string): Promise<number> {
  const success =
    (await readMetric(url, 'manifest_sync_passes_total', { outcome: 'success' })) ?? 0;
  const failure =
    (await readMetric(url, 'manifest_sync_passes_total', { outcome: 'failure' })) ?? 0;
  return success + failure;
}

/** GET a path; returns status and parsed JSON body. */
export async function getJson(
  url: string,
  path: string,
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${url}${path}`);
  return { status: response.status, body: await response.json() };
}

/** A CLI daemon process, once it has logged `daemon started`. */
export interface CliDaemon {
  readonly process: CliProcess;
  readonly url: string;
  readonly pid: number;
  /** Every JSON log line so far. */
  logs(): Record<string, unknown>[];
  /** Resolves when the process has exited. */
  readonly exited: Promise<CliResult>;
}

/**
 * Spawns `manifest-sync ...args daemon ...daemonArgs` as a process (JSON logs on stderr) and waits
 * for its `daemon started` line to learn the URL. Killed with SIGKILL by `cleanup` if still alive.
 */
export async function startCliDaemon(
  args: { global: string[]; daemon: string[]; cwd: string },
  cleanup: Cleanup,
  timeoutMs = 20_000,
): Promise<CliDaemon> {
  const proc = startCliProcess(
    [
      ...args.global,
      'daemon',
      '--http-port',
      '0',
      '--host',
      '127.0.0.1',
      '--log-level',
      'info',
      ...args.daemon,
    ],
    { cwd: args.cwd },
  );
  cleanup.defer(async () => {
    if (proc.child.exitCode === null && proc.child.signalCode === null) proc.kill('SIGKILL');
    await proc.result.catch(() => {});
  });
  const lines: Record<string, unknown>[] = [];
  let buffered = '';
  proc.child.stderr?.on('data', (chunk: string) => {
    buffered += chunk;
    let newline = buffered.indexOf('\n');
    while (newline >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      try {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        lines.push({ msg: line, raw: true });
      }
      newline = buffered.indexOf('\n');
    }
  });
  let ended = false;
  void proc.result.finally(() => {
    ended = true;
  });
  const url = await vi.waitFor(
    () => {
      if (ended) throw new Error(`daemon exited early: ${JSON.stringify(lines)}`);
      const started = lines.find((line) => line.msg === 'daemon started');
      if (!started) throw new Error('daemon not started yet');
      return String(started.url);
    },
    { timeout: timeoutMs, interval: 20 },
  );
  return {
    process: proc,
    url,
    pid: proc.child.pid ?? -1,
    logs: () => lines,
    exited: proc.result,
  };
}

/** Checks the invariants a sync must keep: no version twice, each commit's versions whole. */
export function duplicates(versions: StoredVersion[]): string[] {
  const seen = new Map<string, number>();
  for (const v of versions)
    seen.set(`${v.slug}@${v.version}`, (seen.get(`${v.slug}@${v.version}`) ?? 0) + 1);
  return [...seen].filter(([, n]) => n > 1).map(([key]) => key);
}
