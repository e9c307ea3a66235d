import { CompiledQuery, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/db/connection.js';
import { copyRows, valuesList } from '../../../src/db/operations/plan/multiRow.js';
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

describe('copyRows', () => {
  it('writes every row as given, hostile text and NULLs included, as bind parameters', async () => {
    // COPY's text format: tab, newline, carriage return and backslash are its specials; `\N` is NULL.
    const names = [
      "it's",
      '$1',
      '"; DROP TABLE connector; --',
      'ünïcödé 😀',
      'a\\b\nc',
      'tab\there',
      'cr\rlf\r\n',
      '\\N',
      '\\',
      '',
    ];
    const rows = Array.from({ length: 1000 }, (_, i) => ({
      id: crypto.randomUUID(),
      slug: `multi-row-${i}`,
      name: names[i % names.length] as string,
      status: 'beta',
      is_platform: i % 2 === 0,
      created_at: '2026-12-03T12:00:00.123456Z',
    }));
    await copyRows(
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
    await copyRows(database.db, 'connector', ['id', 'slug', 'name', 'status'], []);
    const row = { id: crypto.randomUUID(), slug: 'twice', name: 'Twice', status: 'beta' };
    await expect(
      copyRows(
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

describe('copyRows in a transaction', () => {
  it('copies with the statements around it, and a refused copy rolls the whole transaction back', async () => {
    const id = crypto.randomUUID();
    await database.db.transaction().execute(async (trx) => {
      await sql`INSERT INTO connector (id, slug, name, status) VALUES (${id}, 'copied-parent', 'P', 'beta')`.execute(
        trx,
      );
      await copyRows(
        trx,
        'connectorversion',
        ['id', 'connector_id', 'version', 'manifest', 'reasons'],
        [
          {
            id: crypto.randomUUID(),
            connector_id: id,
            version: '1.0.0',
            manifest: '{"a":"tab\\there \\\\ back"}',
            reasons: null,
          },
        ],
      );
    });
    const { rows } = await sql<{ manifest: unknown; reasons: unknown }>`SELECT manifest, reasons
      FROM connectorversion WHERE connector_id = ${id}`.execute(database.db);
    expect(rows).toEqual([{ manifest: { a: 'tab\there \\ back' }, reasons: null }]);

    const orphan = crypto.randomUUID();
    await expect(
      database.db.transaction().execute(async (trx) => {
        await sql`INSERT INTO connector (id, slug, name, status) VALUES (${orphan}, 'rolled-back', 'R', 'beta')`.execute(
          trx,
        );
        await copyRows(
          trx,
          'connectorversion',
          ['id', 'connector_id', 'version', 'manifest'],
          [
            {
              id: crypto.randomUUID(),
              connector_id: crypto.randomUUID(),
              version: '1.0.0',
              manifest: '{}',
            },
          ],
        );
      }),
    ).rejects.toThrow(/foreign key/i);
    const { rows: left } = await sql`SELECT 1 FROM connector WHERE id = ${orphan}`.execute(
      database.db,
    );
    expect(left).toEqual([]);
  });
});
