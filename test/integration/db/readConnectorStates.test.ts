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
    const { states, read } = await readConnectorStates(database.db, { slugs });
    expect(read).toBe(slugs.length);
    expect([...states.keys()]).toEqual(['kept-70000']);
    expect(states.get('kept-70000')?.latest?.manifest).toEqual({ name: 'Kept' });
    expect(states.get('kept-70000')?.latest?.version).toBe('1.0.0');
    expect(states.get('kept-70000')?.versions).toEqual([
      { id: expect.any(String), version: '1.0.0', hash: 'h1' },
    ]);
  }, 60_000);

  it('reads stored manifests only as far as a budget allows, the first always, and says how far', async () => {
    const sizes = { 'large-a': 300_000, 'large-b': 300_000, 'large-c': 10 };
    for (const [slug, length] of Object.entries(sizes)) {
      const connectorId = crypto.randomUUID();
      const versionId = crypto.randomUUID();
      const manifest = JSON.stringify({ name: slug, description: 'x'.repeat(length) });
      await sql`INSERT INTO connector (id, slug, name, status, is_platform)
        VALUES (${connectorId}, ${slug}, ${slug}, 'beta', true)`.execute(database.db);
      await sql`INSERT INTO connectorversion (id, connector_id, version, manifest, content_hash)
        VALUES (${versionId}, ${connectorId}, '1.0.0', ${manifest}::jsonb, ${slug})`.execute(
        database.db,
      );
      await sql`UPDATE connector SET latest_version_id = ${versionId} WHERE id = ${connectorId}`.execute(
        database.db,
      );
    }
    const slugs = ['nobody', 'large-a', 'large-b', 'large-c'];
    const first = await readConnectorStates(database.db, { slugs, budget: 400_000 });
    // 'nobody' stores nothing; large-a is the first stored, read whatever its size; large-b passes.
    expect(first.read).toBe(2);
    expect([...first.states.keys()]).toEqual(['large-a']);
    const stored = first.bytes.get('large-a') ?? 0;
    expect(stored).toBeGreaterThan(300_000);
    // Its size uncompressed: about its text's length.
    expect(stored).toBeLessThan(300_100);
    expect(first.states.get('large-a')?.versions).toHaveLength(1);
    const rest = await readConnectorStates(database.db, { slugs: slugs.slice(2), budget: 400_000 });
    expect(rest.read).toBe(2); // large-b then large-c, ten characters: within the budget
    expect([...rest.states.keys()]).toEqual(['large-b', 'large-c']);
    expect(rest.states.get('large-c')?.latest?.manifest).toEqual({
      name: 'large-c',
      description: 'x'.repeat(10),
    });
    const tight = await readConnectorStates(database.db, {
      slugs: ['large-a', 'large-b'],
      budget: 1,
    });
    expect(tight.read).toBe(1);
  });
});
