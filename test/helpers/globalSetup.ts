import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { type Database, openDatabase } from '../../src/db/connection.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { ensureBuilt } from './builtCli.js';
import { DATABASE_FREE } from './databaseFree.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A migrated PGlite data directory that test files copy, or '' on PostgreSQL. */
    embeddedTemplateDir: string;
    /** A PGlite data directory as a first open creates it (no migrations), or '' on PostgreSQL. */
    embeddedBlankDir: string;
    /** The migrated template database on TEST_DATABASE_URL's server, or ''. */
    postgresTemplate: string;
  }
}

/** The SQL migrations (src/db/migrate.ts reads the same folder). */
const MIGRATIONS_DIR = new URL('../../migrations/', import.meta.url);

const run = promisify(execFile);

// One template per run: two runs on one server (a developer's and CI's) must not drop each other's.
export const TEMPLATE_DATABASE = `manifest_sync_test_template_${process.pid}`;

/** Migrates once into a template (a database, or a PGlite directory) that each test file copies. */
export default async function setup(project: TestProject) {
  // Tests that need a process of its own spawn the built CLI (test/helpers/cli.ts): cheaper than
  // compiling the sources through tsx in every child, and the same files the package ships.
  await ensureBuilt();
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) {
    console.warn(
      `skipped on a server's run: the integration files that open no database (${DATABASE_FREE.join(', ')}); they run in the embedded run (\`npm test\` without TEST_DATABASE_URL)`,
    );
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DATABASE} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${TEMPLATE_DATABASE}`;
    const database = await openDatabase({ url: url.toString(), dataDir: '', holder: 'test setup' });
    await migrateToLatest(database.db);
    await database.close();
    project.provide('postgresTemplate', TEMPLATE_DATABASE);
    project.provide('embeddedTemplateDir', '');
    project.provide('embeddedBlankDir', '');
    return async () => {
      const cleanup = new pg.Client({ connectionString: serverUrl });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DATABASE} WITH (FORCE)`);
      await cleanup.end();
    };
  }
  // Test files copy them (createTestDatabase) and never open them: kept for the next run.
  const stores = await embeddedStores();
  project.provide('embeddedTemplateDir', stores.migrated);
  project.provide('embeddedBlankDir', stores.blank);
  project.provide('postgresTemplate', '');
}

/**
 * Two PGlite directories kept in the temp directory, each made once: a blank store (as a first
 * open creates it, no migrations; per PGlite version) and a migrated one (per set of migrations
 * and PGlite version). Creating a PGlite store costs ~5 s of CPU, migrating it as much again.
 */
async function embeddedStores(): Promise<{ blank: string; migrated: string }> {
  const pglite = await readFile(
    new URL('../../node_modules/@electric-sql/pglite/package.json', import.meta.url),
  );
  const blank = await cachedStore('blank', [pglite], async () => {});
  const migrations: (string | Buffer)[] = [];
  for (const name of (await readdir(MIGRATIONS_DIR)).sort())
    migrations.push(`${name}\n`, await readFile(new URL(name, MIGRATIONS_DIR)));
  const migrated = await cachedStore(
    'store',
    [pglite, ...migrations],
    async (database) => {
      await migrateToLatest(database.db);
    },
    blank,
  );
  return { blank, migrated };
}

/**
 * The store `manifest-sync-test-<kind>-<hash of inputs>` in the temp directory, made by opening
 * a fresh directory (a copy of `from`, or empty: the open creates the store) and running `fill`.
 */
async function cachedStore(
  kind: string,
  inputs: (string | Buffer)[],
  fill: (database: Database) => Promise<void>,
  from?: string,
): Promise<string> {
  const hash = createHash('sha256');
  for (const input of inputs) hash.update(input);
  const cached = join(tmpdir(), `manifest-sync-test-${kind}-${hash.digest('hex').slice(0, 16)}`);
  if (await stat(join(cached, 'db')).catch(() => null)) return cached;
  const fresh = await mkdtemp(join(tmpdir(), `manifest-sync-test-${kind}-`));
  if (from) await run('cp', ['-R', `${from}/.`, fresh]);
  const database = await openDatabase({ url: null, dataDir: fresh, holder: 'test setup' });
  await fill(database);
  await database.close();
  // Whole or not at all: a run killed halfway leaves no half-made store under the cached name.
  await rename(fresh, cached).catch(async () => {
    await rm(fresh, { recursive: true, force: true }); // another run made it first
  });
  return cached;
}
