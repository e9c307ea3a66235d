import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/db/connection.js';
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

describe("each session's settings (SESSION_SETUP)", () => {
  it.skipIf(skipping(!process.env.TEST_DATABASE_URL, 'the embedded PGlite has no JIT to turn off'))(
    'runs on PostgreSQL sessions without JIT (a scan of every connector is costed high enough to compile)',
    async () => {
      const { rows } = await sql<{ jit: string }>`SHOW jit`.execute(database.db);
      expect(rows[0]?.jit).toBe('off');
    },
  );

  it('compresses the manifests it writes with lz4 where the server has it, else pglz (PGlite)', async () => {
    const { rows: offered } = await sql<{ lz4: boolean }>`SELECT 'lz4' = ANY (enumvals) AS lz4
      FROM pg_settings WHERE name = 'default_toast_compression'`.execute(database.db);
    const id = crypto.randomUUID();
    await sql`INSERT INTO connector (id, slug, name, status)
      VALUES (${id}, 'compressed', 'Compressed', 'beta')`.execute(database.db);
    // Large enough to be compressed (PostgreSQL compresses a row over ~2 KB).
    const manifest = JSON.stringify({ description: 'a manifest '.repeat(1000) });
    await sql`INSERT INTO connectorversion (id, connector_id, version, manifest)
      VALUES (${crypto.randomUUID()}, ${id}, '1.0.0', ${manifest})`.execute(database.db);
    const { rows } = await sql<{
      method: string | null;
    }>`SELECT pg_column_compression(manifest) AS method
      FROM connectorversion WHERE connector_id = ${id}`.execute(database.db);
    // Where the server offers lz4 (this machine's PostgreSQL does; PGlite is built without it).
    expect(rows).toEqual([{ method: offered[0]?.lz4 ? 'lz4' : 'pglz' }]);
  });
});
