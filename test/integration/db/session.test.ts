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
});
