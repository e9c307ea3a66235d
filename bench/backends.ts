import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type Database, openDatabase } from '../src/db/connection.js';
import { migrateToLatest } from '../src/db/migrate.js';

/** Which database a scenario runs against. */
export type Backend = 'postgres' | 'embedded';

/** The server the PostgreSQL scenarios create their databases on. */
export const POSTGRES_SERVER =
  process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A fresh, migrated database for one scenario: a new PostgreSQL database or a PGlite directory. */
export interface BenchDatabase {
  readonly backend: Backend;
  /** The URL for Config.databaseUrl; null for the embedded store in `dataDir`. */
  readonly url: string | null;
  readonly dataDir: string;
  open(holder?: string): Promise<Database>;
  drop(): Promise<void>;
}

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_SERVER });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** Creates and migrates a fresh database (migration time is not part of any figure). */
export async function createBenchDatabase(backend: Backend): Promise<BenchDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), 'manifest-sync-bench-'));
  let url: string | null = null;
  let name = '';
  if (backend === 'postgres') {
    name = `manifest_sync_bench_${randomUUID().replaceAll('-', '')}`;
    await admin(`CREATE DATABASE ${name}`);
    const parsed = new URL(POSTGRES_SERVER);
    parsed.pathname = `/${name}`;
    url = parsed.toString();
  }
  const bench: BenchDatabase = {
    backend,
    url,
    dataDir,
    open: (holder = 'manifest-sync bench') => openDatabase({ url, dataDir, holder }),
    async drop() {
      if (name) await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  const database = await bench.open();
  try {
    await migrateToLatest(database.db);
  } finally {
    await database.close();
  }
  return bench;
}

/** Checks the PostgreSQL server answers, so a run says so at once rather than mid-way. */
export async function postgresAvailable(): Promise<boolean> {
  try {
    await admin('SELECT 1');
    return true;
  } catch {
    return false;
  }
}
