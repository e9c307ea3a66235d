import { readdir, readFile } from 'node:fs/promises';
import {
  type Kysely,
  type Migration,
  type MigrationProvider,
  type MigrationResult,
  Migrator,
  sql,
} from 'kysely';
import { DatabaseError } from '../errors.js';

/** Where the SQL migrations live: `<package>/migrations`, from src/db or dist/db alike. */
const MIGRATIONS_DIR = new URL('../../migrations/', import.meta.url);

/** The migrations' file names (`NNNN_name.sql`), in order. */
async function listMigrationFiles(): Promise<string[]> {
  return (await readdir(MIGRATIONS_DIR)).filter((name) => /^\d{4}_[\w-]+\.sql$/.test(name)).sort();
}

/** Where kysely's Migrator records the migrations it ran. */
const MIGRATION_TABLE = 'sync_migration';

/** Reads `migrations/NNNN_name.sql`; each file is one migration, run as one statement batch. */
class SqlMigrationProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    const names = await listMigrationFiles();
    const migrations: Record<string, Migration> = {};
    for (const name of names) {
      const text = await readFile(new URL(name, MIGRATIONS_DIR), 'utf8');
      migrations[name.replace(/\.sql$/, '')] = {
        up: async (db) => {
          await sql.raw(text).execute(db);
        },
      };
    }
    return migrations;
  }
}

// biome-ignore lint/suspicious/noExplicitAny: the migrator works on any schema
function createMigrator(db: Kysely<any>): Migrator {
  return new Migrator({
    db,
    provider: new SqlMigrationProvider(),
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: 'sync_migration_lock',
  });
}

/** How far the database's schema is: none of it, some migrations pending, or up to date. */
export type SchemaState =
  | { kind: 'none' }
  | { kind: 'behind'; pending: string[] }
  | { kind: 'current' };

/**
 * Reads which migrations have run, writing nothing (read-only commands call this instead of
 * migrating). Two small queries: the Migrator's own check introspects every table and column,
 * which costs an embedded store about a second.
 */
// biome-ignore lint/suspicious/noExplicitAny: the migrator works on any schema
export async function readSchemaState(db: Kysely<any>): Promise<SchemaState> {
  const { files, executed } = await readMigrationNames(db);
  const pending = files.filter((name) => !executed.has(name));
  if (pending.length === files.length) return { kind: 'none' };
  return pending.length > 0 ? { kind: 'behind', pending } : { kind: 'current' };
}

/** The migrations this version has (file names without `.sql`) and those the database ran. */
// biome-ignore lint/suspicious/noExplicitAny: the migrator works on any schema
async function readMigrationNames(db: Kysely<any>) {
  const files = (await listMigrationFiles()).map((file) => file.replace(/\.sql$/, ''));
  const table = await sql<{ found: string | null }>`
    select to_regclass(${MIGRATION_TABLE})::text as found`.execute(db);
  const rows = table.rows[0]?.found
    ? (await sql<{ name: string }>`select name from ${sql.table(MIGRATION_TABLE)}`.execute(db)).rows
    : [];
  return { files, executed: new Set(rows.map((row) => row.name)) };
}

/**
 * Runs pending migrations. kysely's Migrator takes an advisory lock and runs them in one
 * transaction, so two processes migrating at once are harmless and a failure leaves nothing half-done.
 * Returns the names of the migrations it applied (empty when the database was up to date).
 */
// biome-ignore lint/suspicious/noExplicitAny: the migrator works on any schema
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  // Exactly this version's migrations ran: nothing to do, and two small queries say so (the
  // Migrator's own check introspects the catalog and takes a lock: ~65 ms of every sync). Any
  // other state, a database ahead of this version included, is the Migrator's to judge.
  const { files, executed } = await readMigrationNames(db);
  if (files.length === executed.size && files.every((name) => executed.has(name))) return [];
  const { error, results } = await createMigrator(db).migrateToLatest();
  if (error) {
    const failed = results?.find((result: MigrationResult) => result.status === 'Error');
    const where = failed ? ` in ${failed.migrationName}.sql` : '';
    throw new DatabaseError(`migration failed${where}: ${(error as Error).message ?? error}`, {
      cause: error,
    });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
