import { CompiledQuery, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/db/connection.js';
import { insertRows, valuesList } from '../../../src/db/operations/plan/multiRow.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/testDatabase.js';

let testDb: TestDatabase;
let database: Database;

beforeAll(async () => {
  testDb = await createTestDatabase();
  database = await testDb.open();
});

afterAll(async () => {
  await database?.close();
  await testDb?.drop();
});

describe('valuesList', () => {
  it('numbers the placeholders row by row and casts each column as asked', () => {
    expect(valuesList(1, [''])).toBe('($1)');
    expect(valuesList(2, ['::uuid', ''])).toBe('($1::uuid, $2), ($3::uuid, $4)');
    expect(valuesList(3, ['', '', '::text'])).toBe(
      '($1, $2, $3::text), ($4, $5, $6::text), ($7, $8, $9::text)',
    );
  });
});

describe('insertRows', () => {
  it('writes every row as given, hostile text and NULLs included, as bind parameters', async () => {
    const names = ["it's", '$1', '"; DROP TABLE connector; --', 'ünïcödé 😀', 'a\\b\nc'];
    const rows = Array.from({ length: 1000 }, (_, i) => ({
      id: crypto.randomUUID(),
      slug: `multi-row-${i}`,
      name: names[i % names.length] as string,
      status: 'beta',
      is_platform: i % 2 === 0,
      created_at: '2026-12-03T12:00:00.123456Z',
    }));
    await insertRows(
      database.db,
      'connector',
      ['id', 'slug', 'name', 'status', 'is_platform', 'created_at'],
      rows,
    );
    const stored = await database.db
      .selectFrom('connector')
      .select(['id', 'slug', 'name', 'status', 'is_platform', 'latest_version_id'])
      .where('slug', 'like', 'multi-row-%')
      .execute();
    expect(stored).toHaveLength(1000);
    const byId = new Map(stored.map((row) => [row.id, row]));
    for (const row of rows) {
      expect(byId.get(row.id)).toEqual({
        id: row.id,
        slug: row.slug,
        name: row.name,
        status: 'beta',
        is_platform: row.is_platform,
        latest_version_id: null,
      });
    }
    const { rows: stamps } = await sql<{ at: string }>`SELECT created_at::text AS at FROM connector
      WHERE slug = 'multi-row-0'`.execute(database.db);
    expect(stamps[0]?.at).toBe('2026-12-03 12:00:00.123456');
  });

  it('writes nothing for no rows, and a refused row refuses the whole statement', async () => {
    await insertRows(database.db, 'connector', ['id', 'slug', 'name', 'status'], []);
    const row = { id: crypto.randomUUID(), slug: 'twice', name: 'Twice', status: 'beta' };
    await expect(
      insertRows(
        database.db,
        'connector',
        ['id', 'slug', 'name', 'status'],
        [row, { ...row, id: crypto.randomUUID() }],
      ),
    ).rejects.toThrow(/unique|duplicate/i);
    const count = await database.db.executeQuery(
      CompiledQuery.raw("SELECT count(*)::int AS n FROM connector WHERE slug = 'twice'"),
    );
    expect(count.rows).toEqual([{ n: 0 }]);
  });
});
