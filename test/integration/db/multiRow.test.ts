import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/db/connection.js';
import {
  copyAllowed,
  copyRows,
  insertRows,
  type RowWriter,
  valuesList,
} from '../../../src/db/operations/plan/multiRow.js';
import { skipping } from '../../helpers/skip.js';
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

const CONNECTOR_COLUMNS = ['id', 'slug', 'name', 'status', 'is_platform', 'created_at'] as const;

/** A connector row as applyPlans writes one. */
function connectorRow(slug: string, name: string, isPlatform = true) {
  return {
    id: crypto.randomUUID(),
    slug,
    name,
    status: 'beta',
    is_platform: isPlatform,
    created_at: '2026-12-03T12:00:00.123456Z',
  };
}

describe('valuesList', () => {
  it('numbers the placeholders row by row and casts each column as asked', () => {
    expect(valuesList(1, [''])).toBe('($1)');
    expect(valuesList(2, ['::uuid', ''])).toBe('($1::uuid, $2), ($3::uuid, $4)');
    expect(valuesList(3, ['', '', '::text'])).toBe(
      '($1, $2, $3::text), ($4, $5, $6::text), ($7, $8, $9::text)',
    );
  });
});

describe.each([
  ['copyRows', copyRows],
  ['insertRows', insertRows],
] as [string, RowWriter][])('%s', (name, writeRows) => {
  it('writes every row as given: hostile text, booleans, NULLs and microseconds', async () => {
    // COPY's text format: tab, newline, carriage return and backslash are its specials; `\N` is
    // NULL and `\.` ended the data in older protocols. An INSERT takes them as parameters.
    const names = [
      "it's",
      '$1',
      '"; DROP TABLE connector; --',
      'ünïcödé 😀',
      'a\\b\nc',
      'tab\there',
      'cr\rlf\r\n',
      '\\N',
      '\\.',
      '\\',
      '',
    ];
    const rows = Array.from({ length: 1000 }, (_, i) =>
      connectorRow(`${name}-row-${i}`, names[i % names.length] as string, i % 2 === 0),
    );
    await writeRows(database.db, 'connector', CONNECTOR_COLUMNS, rows);
    const stored = await database.db
      .selectFrom('connector')
      .select(['id', 'slug', 'name', 'status', 'is_platform', 'latest_version_id'])
      .where('slug', 'like', `${name}-row-%`)
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
      WHERE slug = ${`${name}-row-0`}`.execute(database.db);
    expect(stamps[0]?.at).toBe('2026-12-03 12:00:00.123456');
  });

  it('writes rows larger together than one piece of COPY data (a megabyte), whole', async () => {
    const rows = Array.from({ length: 5 }, (_, i) =>
      connectorRow(`${name}-large-${i}`, `${i}\t${'é\\'.repeat(300_000)}`),
    );
    await writeRows(database.db, 'connector', CONNECTOR_COLUMNS, rows);
    const stored = await database.db
      .selectFrom('connector')
      .select(['id', 'name'])
      .where('slug', 'like', `${name}-large-%`)
      .execute();
    expect(new Map(stored.map((row) => [row.id, row.name]))).toEqual(
      new Map(rows.map((row) => [row.id, row.name])),
    );
  });

  it('writes nothing for no rows; a row refused refuses them all; a missing value is an error', async () => {
    await writeRows(database.db, 'connector', CONNECTOR_COLUMNS, []);
    const row = connectorRow(`${name}-twice`, 'Twice');
    await expect(
      writeRows(database.db, 'connector', CONNECTOR_COLUMNS, [
        row,
        { ...row, id: crypto.randomUUID() },
      ]),
    ).rejects.toThrow(/unique|duplicate/i);
    const { rows: left } = await sql`SELECT 1 FROM connector WHERE slug = ${row.slug}`.execute(
      database.db,
    );
    expect(left).toEqual([]);
    const { created_at: _, ...withoutTime } = connectorRow(`${name}-partial`, 'Partial');
    await expect(
      writeRows(database.db, 'connector', CONNECTOR_COLUMNS, [withoutTime]),
    ).rejects.toThrow(/gives no `created_at`/);
  });

  it('writes with the statements around it, and a refused write rolls the transaction back', async () => {
    const id = crypto.randomUUID();
    await database.db.transaction().execute(async (trx) => {
      await sql`INSERT INTO connector (id, slug, name, status)
        VALUES (${id}, ${`${name}-parent`}, 'P', 'beta')`.execute(trx);
      await writeRows(
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
        await sql`INSERT INTO connector (id, slug, name, status)
          VALUES (${orphan}, ${`${name}-rolled-back`}, 'R', 'beta')`.execute(trx);
        await writeRows(
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

describe('a COPY PostgreSQL refuses at its first row while megabytes are still being sent', () => {
  it('fails the write, and nothing throws outside it (pg-copy-streams#171)', async () => {
    // 20,000 rows of 4 KB: the socket fills long before the server refuses the first row.
    const rows = Array.from({ length: 20_000 }, (_, i) => ({
      ...connectorRow(`refused-early-${i}`, 'x'.repeat(4000)),
      status: i === 0 ? 'not-a-status' : 'beta',
    }));
    await expect(copyRows(database.db, 'connector', CONNECTOR_COLUMNS, rows)).rejects.toThrow(
      /check constraint/,
    );
    // The connection still works, and nothing was written.
    const { rows: left } =
      await sql`SELECT 1 FROM connector WHERE slug LIKE 'refused-early-%'`.execute(database.db);
    expect(left).toEqual([]);
  });
});

describe('copyAllowed', () => {
  it('copies into plain tables; inserts where row-level security or an INSERT rule would refuse or be bypassed', async () => {
    expect(await copyAllowed(database.db)).toBe(true);

    // Row-level security that applies to the owner too: COPY is refused outright, INSERT obeys it.
    await sql`ALTER TABLE connector ENABLE ROW LEVEL SECURITY`.execute(database.db);
    try {
      await sql`ALTER TABLE connector FORCE ROW LEVEL SECURITY`.execute(database.db);
      await sql`CREATE POLICY anything ON connector USING (true) WITH CHECK (true)`.execute(
        database.db,
      );
      expect(await copyAllowed(database.db)).toBe(false);
      // Superusers (the tests' role) bypass it: a writer subject to it meets what COPY does.
      const role = `rls_writer_${process.pid}`;
      await sql.raw(`CREATE ROLE ${role} NOLOGIN`).execute(database.db);
      try {
        await sql.raw(`GRANT SELECT, INSERT ON connector TO ${role}`).execute(database.db);
        const asWriter = (write: RowWriter, slug: string) =>
          database.db.transaction().execute(async (trx) => {
            await sql.raw(`SET LOCAL ROLE ${role}`).execute(trx);
            await write(trx, 'connector', CONNECTOR_COLUMNS, [connectorRow(slug, 'Under RLS')]);
          });
        // PostgreSQL: "COPY FROM not supported with row-level security". PGlite reads COPY's data
        // as a file, which only a superuser may: refused before row-level security is asked.
        await expect(asWriter(copyRows, 'copied-under-rls')).rejects.toThrow(
          /row-level security|permission denied to COPY from a file/,
        );
        await asWriter(insertRows, 'inserted-under-rls');
      } finally {
        await sql.raw(`REVOKE ALL ON connector FROM ${role}`).execute(database.db);
        await sql.raw(`DROP ROLE ${role}`).execute(database.db);
      }
      const { rows } = await sql<{ slug: string }>`SELECT slug FROM connector
        WHERE slug LIKE '%-under-rls'`.execute(database.db);
      expect(rows).toEqual([{ slug: 'inserted-under-rls' }]);
    } finally {
      await sql`DROP POLICY IF EXISTS anything ON connector`.execute(database.db);
      await sql`ALTER TABLE connector NO FORCE ROW LEVEL SECURITY`.execute(database.db);
      await sql`ALTER TABLE connector DISABLE ROW LEVEL SECURITY`.execute(database.db);
    }

    // A rule on INSERT: COPY would not apply it.
    await sql`CREATE TABLE version_log (id uuid)`.execute(database.db);
    try {
      await sql`CREATE RULE log_versions AS ON INSERT TO connectorversion
        DO ALSO INSERT INTO version_log VALUES (NEW.id)`.execute(database.db);
      expect(await copyAllowed(database.db)).toBe(false);
    } finally {
      await sql`DROP RULE IF EXISTS log_versions ON connectorversion`.execute(database.db);
      await sql`DROP TABLE version_log`.execute(database.db);
    }
    expect(await copyAllowed(database.db)).toBe(true);
  });
});

describe.skipIf(skipping(!process.env.TEST_DATABASE_URL, 'pg-pool is the PostgreSQL driver'))(
  "a COPY through pg-pool's own query (a callback)",
  () => {
    it('copies and answers the callback', async () => {
      const { default: pg } = await import('pg');
      const { CopyingClient } = await import('../../../src/db/copyingClient.js');
      const pool = new pg.Pool({ connectionString: testDb.url as string, Client: CopyingClient });
      try {
        const row = connectorRow('pool-query-copy', 'Pool');
        const data = `${CONNECTOR_COLUMNS.map((column) => String(row[column] === true ? 't' : row[column])).join('\t')}\n`;
        const result = await pool.query(
          `COPY connector (${CONNECTOR_COLUMNS.join(', ')}) FROM STDIN`,
          [[data]],
        );
        expect(result.rowCount).toBe(1);
      } finally {
        await pool.end();
      }
    });
  },
);
