import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql as kyselySql } from 'kysely';
import pg from 'pg';
import { inject } from 'vitest';
import { type Database, openDatabase } from '../../src/db/connection.js';

/** A fresh database for one test file: on TEST_DATABASE_URL's server, or an embedded PGlite directory. */
export interface TestDatabase {
  /** The URL to pass as --database-url, or null for the embedded store in `dataDir`. */
  readonly url: string | null;
  readonly dataDir: string;
  readonly backend: 'postgres' | 'embedded';
  /** Opens it (the embedded store may be open in one process at a time). */
  open(): Promise<Database>;
  /** Runs SQL as the test's superuser (for tampering and seeding). */
  exec(sql: string): Promise<void>;
  drop(): Promise<void>;
}

/** Options for {@link createTestDatabase}. */
export interface TestDatabaseOptions {
  /** Start from the migrated template. @default true (false when `seeded`) */
  migrated?: boolean;
  /** Load test/fixtures/seed.sql (the platform's current tables and rows) into an unmigrated database. */
  seeded?: boolean;
  /**
   * Embedded and unmigrated: an empty directory, no store in it yet (the first open creates one),
   * instead of a copy of the blank store (one just created, no migrations). A server's database
   * exists either way. @default false
   */
  noStore?: boolean;
}

const SEED_SQL = new URL('../fixtures/seed.sql', import.meta.url);
const run = promisify(execFile);

/** Creates a fresh database for one test file, copied from the migrated template unless told otherwise. */
export async function createTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const migrated = options.migrated ?? !options.seeded;
  const dataDir = await mkdtemp(join(tmpdir(), 'manifest-sync-test-'));
  const serverUrl = process.env.TEST_DATABASE_URL;
  let url: string | null = null;
  if (serverUrl) {
    const name = `manifest_sync_test_${randomUUID().replaceAll('-', '')}`;
    const template = migrated ? inject('postgresTemplate') : 'template0';
    await adminQuery(serverUrl, `CREATE DATABASE ${name} TEMPLATE ${template}`);
    const parsed = new URL(serverUrl);
    parsed.pathname = `/${name}`;
    url = parsed.toString();
  } else if (migrated || !options.noStore) {
    // A copy of a store made once by globalSetup: creating one here costs ~5 s of CPU.
    // cp(1): node's fs.cp walks the store's ~1,000 files in JavaScript, 2-4 times slower.
    const template = inject(migrated ? 'embeddedTemplateDir' : 'embeddedBlankDir');
    await run('cp', ['-R', `${template}/.`, dataDir]);
  }

  const testDatabase: TestDatabase = {
    url,
    dataDir,
    backend: url ? 'postgres' : 'embedded',
    open: () => openDatabase({ url, dataDir, holder: 'test' }),
    async exec(sql) {
      if (url) return adminQuery(url, sql);
      const database = await testDatabase.open();
      try {
        await kyselySql.raw(sql).execute(database.db);
      } finally {
        await database.close();
      }
    },
    async drop() {
      if (serverUrl && url) {
        await adminQuery(
          serverUrl,
          `DROP DATABASE IF EXISTS ${new URL(url).pathname.slice(1)} WITH (FORCE)`,
        );
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  if (options.seeded) await testDatabase.exec(await readFile(SEED_SQL, 'utf8'));
  return testDatabase;
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
