import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/db/connection.js';
import { readConnectorStates } from '../../../src/db/operations/connectors/readConnectorStates.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/testDatabase.js';

let testDb: TestDatabase;
let database: Database;

beforeAll(async () => {
  testDb = await createTestDatabase();
  database = await testDb.open();
  const connectorId = crypto.randomUUID();
  const versionId = crypto.randomUUID();
  await sql`INSERT INTO connector (id, slug, name, status, is_platform)
    VALUES (${connectorId}, 'kept-70000', 'Kept', 'beta', true),
           (${crypto.randomUUID()}, 'other-1', 'Other', 'beta', true)`.execute(database.db);
  await sql`INSERT INTO connectorversion (id, connector_id, version, manifest, content_hash)
    VALUES (${versionId}, ${connectorId}, '1.0.0', '{"name":"Kept"}', 'h1')`.execute(database.db);
  await sql`UPDATE connector SET latest_version_id = ${versionId} WHERE id = ${connectorId}`.execute(
    database.db,
  );
});

afterAll(async () => {
  await database?.close();
  await testDb?.drop();
});

describe('readConnectorStates', () => {
  it('reads more slugs than one statement may bind parameters (65,535): a 100,000-manifest sync', async () => {
    const slugs = Array.from({ length: 70_001 }, (_, i) => `kept-${i}`);
    const states = await readConnectorStates(database.db, { slugs });
    expect([...states.keys()]).toEqual(['kept-70000']);
    expect(states.get('kept-70000')?.latest?.version).toBe('1.0.0');
    expect(states.get('kept-70000')?.versions).toEqual([
      { id: expect.any(String), version: '1.0.0', hash: 'h1' },
    ]);
  }, 60_000);
});
