import { readFile } from 'node:fs/promises';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/db/connection.js';
import { migrateToLatest, readSchemaState } from '../../../src/db/migrate.js';
import { skipping } from '../../helpers/skip.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/testDatabase.js';

/** The platform's columns, exactly as ../shared/seed/connector-schema.md has them. */
const PLATFORM_COLUMNS = {
  connector: {
    id: 'uuid',
    slug: 'character varying',
    name: 'character varying',
    status: 'character varying',
    latest_version_id: 'uuid',
    created_at: 'timestamp without time zone',
    owner_id: 'uuid',
    is_platform: 'boolean',
    created_by: 'uuid',
  },
  connectorversion: {
    id: 'uuid',
    connector_id: 'uuid',
    version: 'character varying',
    manifest: 'jsonb',
    wheel_url: 'character varying',
    created_at: 'timestamp without time zone',
  },
};

async function columnsOf(database: Database, table: string): Promise<Record<string, string>> {
  const { rows } = await sql<{ column_name: string; data_type: string }>`
    SELECT column_name, data_type FROM information_schema.columns
    WHERE table_schema = 'public' AND table_name = ${table}`.execute(database.db);
  return Object.fromEntries(rows.map((row) => [row.column_name, row.data_type]));
}

let testDb: TestDatabase | undefined;
let open: Database[] = [];
afterEach(async () => {
  await Promise.all(open.map((database) => database.close()));
  open = [];
  await testDb?.drop();
});

async function openFresh(options: Parameters<typeof createTestDatabase>[0]): Promise<Database> {
  testDb = await createTestDatabase(options);
  const database = await testDb.open();
  open.push(database);
  return database;
}

describe('migrations', () => {
  it("create the seed's tables with its exact columns and types, and running them twice does nothing", async () => {
    const database = await openFresh({ migrated: false });
    expect(await migrateToLatest(database.db)).toEqual([
      '0001_platform_schema',
      '0002_sync_tables',
      '0003_sync_control',
      '0004_sync_binding',
      '0005_operator_actions',
      '0007_version_keyset_index',
    ]);
    expect(await migrateToLatest(database.db)).toEqual([]);
    for (const [table, columns] of Object.entries(PLATFORM_COLUMNS)) {
      const actual = await columnsOf(database, table);
      for (const [column, type] of Object.entries(columns))
        expect(actual[column], `${table}.${column}`).toBe(type);
    }
    expect(Object.keys(await columnsOf(database, 'user'))).toContain('id');
  });

  it('are read, without writing, as none, behind (naming what is pending) or current', async () => {
    const database = await openFresh({ migrated: false });
    expect(await readSchemaState(database.db)).toEqual({ kind: 'none' });
    const applied = await migrateToLatest(database.db);
    expect(await readSchemaState(database.db)).toEqual({ kind: 'current' });
    const last = applied.at(-1) ?? '';
    await sql`DELETE FROM sync_migration WHERE name = ${last}`.execute(database.db);
    expect(await readSchemaState(database.db)).toEqual({ kind: 'behind', pending: [last] });
  });

  it('bind a database synced before 0004 to the branch it synced last, its folder left to the next sync', async () => {
    const database = await openFresh({ migrated: false });
    const dir = new URL('../../../migrations/', import.meta.url);
    const run = async (name: string) =>
      sql.raw(await readFile(new URL(`${name}.sql`, dir), 'utf8')).execute(database.db);
    for (const name of ['0001_platform_schema', '0002_sync_tables', '0003_sync_control'])
      await run(name);
    await sql`INSERT INTO sync_cursor (repository, branch, revision, updated_at) VALUES
      ('repo-a', 'old', ${'a'.repeat(40)}, '2025-01-01'), ('repo-a', 'main', ${'b'.repeat(40)}, '2025-02-01'),
      ('repo-b', 'trunk', ${'c'.repeat(40)}, '2025-01-01')`.execute(database.db);
    await run('0004_sync_binding');
    const { rows } =
      await sql`SELECT repository, branch, path FROM sync_binding ORDER BY repository`.execute(
        database.db,
      );
    expect(rows).toEqual([
      { repository: 'repo-a', branch: 'main', path: null },
      { repository: 'repo-b', branch: 'trunk', path: null },
    ]);
  });

  it('enforce the status values, slug uniqueness and one row per connector version', async () => {
    const database = await openFresh({ migrated: true });
    const insert = (id: string, slug: string, status: string) =>
      sql`INSERT INTO connector (id, slug, name, status) VALUES (${id}::uuid, ${slug}, 'X', ${status})`.execute(
        database.db,
      );
    await insert('00000000-0000-4000-8000-000000000001', 'ok', 'beta');
    await expect(insert('00000000-0000-4000-8000-000000000002', 'bad', 'live')).rejects.toThrow(
      /status_check/,
    );
    await expect(insert('00000000-0000-4000-8000-000000000003', 'ok', 'beta')).rejects.toThrow(
      /unique|duplicate/i,
    );
    const version = (id: string) =>
      sql`INSERT INTO connectorversion (id, connector_id, version, manifest)
          VALUES (${id}::uuid, '00000000-0000-4000-8000-000000000001', '1.0.0', '{}')`.execute(
        database.db,
      );
    await version('00000000-0000-4000-8000-0000000000a1');
    await expect(version('00000000-0000-4000-8000-0000000000a2')).rejects.toThrow(
      /connector_id_version|duplicate/i,
    );
  });

  it("succeed over a database that already has the seed's tables and rows, keeping every row", async () => {
    const database = await openFresh({ seeded: true });
    const before = await sql<{ n: number }>`
      SELECT (SELECT count(*) FROM connector)::int + (SELECT count(*) FROM connectorversion)::int AS n`.execute(
      database.db,
    );
    expect(await migrateToLatest(database.db)).toHaveLength(6);
    expect(await migrateToLatest(database.db)).toEqual([]);
    const versions = await database.db
      .selectFrom('connectorversion')
      .select(['version', 'wheel_url', 'commit_sha'])
      .orderBy('version')
      .execute();
    expect(versions.map((v) => v.version)).toEqual(['1.0.0', '1.1.0']);
    expect(versions[1]?.wheel_url).toMatch(/\.whl$/);
    expect(versions.every((v) => v.commit_sha === null)).toBe(true);
    const after = await sql<{ n: number }>`
      SELECT (SELECT count(*) FROM connector)::int + (SELECT count(*) FROM connectorversion)::int AS n`.execute(
      database.db,
    );
    expect(after.rows[0]?.n).toBe(before.rows[0]?.n);
    // The seed named its own foreign key for latest_version_id: no second one is added beside it.
    const fks = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM pg_constraint c
      JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
      WHERE c.conrelid = 'connector'::regclass AND c.contype = 'f' AND a.attname = 'latest_version_id'`.execute(
      database.db,
    );
    expect(fks.rows[0]?.n).toBe(1);
  });

  it.skipIf(
    skipping(!process.env.TEST_DATABASE_URL, 'needs a PostgreSQL server: set TEST_DATABASE_URL'),
  )('are harmless when two processes migrate at once', async () => {
    testDb = await createTestDatabase({ migrated: false });
    const [a, b] = await Promise.all([testDb.open(), testDb.open()]);
    open.push(a, b);
    const applied = await Promise.all([migrateToLatest(a.db), migrateToLatest(b.db)]);
    expect(applied.flat().sort()).toEqual([
      '0001_platform_schema',
      '0002_sync_tables',
      '0003_sync_control',
      '0004_sync_binding',
      '0005_operator_actions',
      '0007_version_keyset_index',
    ]);
  });
});
