import { sql } from 'kysely';
import pino from 'pino';
import { type Config, type GlobalFlags, loadConfig } from '../../../src/config.js';
import type { Database } from '../../../src/db/connection.js';
import { type GitRepository, openRepository } from '../../../src/git/index.js';
import type { Manifest } from '../../../src/manifest/types.js';
import { readStatus, type SyncStatus } from '../../../src/query/readStatus.js';
import { type SyncOnceOptions, syncOnce } from '../../../src/sync/syncOnce.js';
import type { SyncReport } from '../../../src/sync/types.js';
import { type CliProcess, type CliResult, runCli, startCliProcess } from '../../helpers/cli.js';
import { type CommitOptions, createTempRepo, type TempRepo } from '../../helpers/gitRepo.js';
import { manifestText } from '../../helpers/manifestBuilder.js';
import {
  createTestDatabase,
  type TestDatabase,
  type TestDatabaseOptions,
} from '../../helpers/testDatabase.js';

/** One stored version, as the tests read it back. */
export interface VersionRow {
  id: string;
  slug: string;
  version: string;
  manifest: Manifest;
  commit_sha: string | null;
  content_hash: string | null;
  bump: string | null;
  reasons: string[] | null;
  is_latest: boolean;
}

/** The tables a sync writes, with their row counts. */
export const TABLES = [
  'connector',
  'connectorversion',
  'sync_commit',
  'sync_cursor',
  'sync_run',
  'sync_refusal',
] as const;

/** A temp git repository, a fresh database and the ways the tests drive and inspect them. */
export interface SyncHarness {
  readonly repo: TempRepo;
  readonly testDb: TestDatabase;
  readonly config: Config;
  /** The open database (opened on first use; `cli` closes it, as the embedded store allows one holder). */
  db(): Promise<Database>;
  /** Closes the test's own handle so the CLI (in this process or another) may open the embedded store. */
  release(): Promise<void>;
  /** One syncOnce pass in this process; `flags` override the harness's global flags (e.g. path). */
  sync(options?: SyncOnceOptions, flags?: GlobalFlags): Promise<SyncReport>;
  status(): Promise<SyncStatus>;
  /** The CLI in this process (`main(argv, io)`), with --repo and the database flags of this harness. */
  cli(...args: string[]): Promise<CliResult>;
  /** The CLI as a process of its own (the built binary): for tests that kill it. */
  startCli(...args: string[]): CliProcess;
  /** The global flags behind `config`. */
  readonly flags: GlobalFlags;
  /** The flags that point a CLI at this harness's repository and database. */
  readonly cliFlags: string[];
  query<T>(text: string): Promise<T[]>;
  counts(): Promise<Record<(typeof TABLES)[number], number>>;
  versions(slug: string): Promise<VersionRow[]>;
  connector(slug: string): Promise<ConnectorRow | undefined>;
  /** Writes `manifests/<slug>.json` (two-space JSON) in the work tree. */
  writeManifest(manifest: unknown, slug?: string): void;
  commit(message: string, options?: CommitOptions): string;
  close(): Promise<void>;
}

/** A connector row as the tests read it back. */
export interface ConnectorRow {
  id: string;
  slug: string;
  name: string;
  status: string;
  latest_version_id: string | null;
  owner_id: string | null;
  is_platform: boolean;
}

export const silentLogger = pino({ level: 'silent' });

/** A fresh repository (with a first commit outside the manifests) and a fresh database. */
export async function createSyncHarness(
  options: TestDatabaseOptions & { root?: boolean } = {},
): Promise<SyncHarness> {
  const repo = createTempRepo();
  if (options.root ?? true) {
    repo.write('README.md', '# registry\n');
    repo.commit('root');
  }
  const testDb = await createTestDatabase(options);
  const flags: GlobalFlags = {
    repo: repo.path,
    dataDir: testDb.dataDir,
    ...(testDb.url ? { databaseUrl: testDb.url } : {}),
  };
  const config = loadConfig(flags, {}, repo.path);
  const cliFlags = [
    '--repo',
    repo.path,
    '--data-dir',
    testDb.dataDir,
    '--log-level',
    'warn',
    ...(testDb.url ? ['--database-url', testDb.url] : []),
  ];
  let database: Database | null = null;
  let repository: GitRepository | null = null;
  const db = async () => {
    database ??= await testDb.open();
    return database;
  };
  const release = async () => {
    const open = database;
    database = null;
    await open?.close();
  };
  const query = async <T>(text: string): Promise<T[]> =>
    (await sql.raw<T>(text).execute((await db()).db)).rows;

  const harness: SyncHarness = {
    repo,
    testDb,
    config,
    flags,
    cliFlags,
    db,
    release,
    async sync(syncOptions, overrides) {
      repository ??= await openRepository({ path: repo.path });
      const passConfig = overrides ? loadConfig({ ...flags, ...overrides }, {}, repo.path) : config;
      return syncOnce(
        { config: passConfig, repository, database: await db(), logger: silentLogger },
        syncOptions,
      );
    },
    async status() {
      repository ??= await openRepository({ path: repo.path });
      return readStatus({ config, repository, database: await db() });
    },
    async cli(...args) {
      await release();
      return runCli([...cliFlags, ...args], { cwd: repo.path });
    },
    startCli(...args) {
      return startCliProcess([...cliFlags, ...args], { cwd: repo.path });
    },
    query,
    async counts() {
      const entries = await Promise.all(
        TABLES.map(async (table) => {
          const [row] = await query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
          return [table, row?.n ?? 0] as const;
        }),
      );
      return Object.fromEntries(entries) as Record<(typeof TABLES)[number], number>;
    },
    async versions(slug) {
      return query<VersionRow>(`
        SELECT v.id, c.slug, v.version, v.manifest, v.commit_sha, v.content_hash, v.bump, v.reasons,
               (c.latest_version_id = v.id) AS is_latest
        FROM connectorversion v JOIN connector c ON c.id = v.connector_id
        WHERE c.slug = '${slug}'
        ORDER BY string_to_array(v.version, '.')::int[]`);
    },
    async connector(slug) {
      const [row] = await query<ConnectorRow>(
        `SELECT id, slug, name, status, latest_version_id, owner_id, is_platform
         FROM connector WHERE slug = '${slug}'`,
      );
      return row;
    },
    writeManifest(manifest, slug) {
      const name = slug ?? (manifest as { slug: string }).slug;
      repo.write(`manifests/${name}.json`, manifestText(manifest));
    },
    commit: (message, commitOptions) => repo.commit(message, commitOptions),
    async close() {
      await repository?.close();
      await release();
      await testDb.drop();
      repo.cleanup();
    },
  };
  return harness;
}

/** Whether the database behind the tests is a PostgreSQL server (TEST_DATABASE_URL). */
export const onPostgres = Boolean(process.env.TEST_DATABASE_URL);
