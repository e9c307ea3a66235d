import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/db/connection.js';
import { readStoredBlobs } from '../../../src/db/operations/connectors/readStoredBlobs.js';
import { skipping } from '../../helpers/skip.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/testDatabase.js';

let testDb: TestDatabase;
let database: Database;

/** A connector, and optionally one version of it from `commit` (whose repository is `repository`). */
async function addConnector(
  slug: string,
  options: { isPlatform?: boolean; status?: string; blob?: string; repository?: string } = {},
) {
  const id = crypto.randomUUID();
  await sql`INSERT INTO connector (id, slug, name, status, is_platform)
    VALUES (${id}, ${slug}, ${slug}, ${options.status ?? 'beta'}, ${options.isPlatform ?? true})`.execute(
    database.db,
  );
  if (!options.blob) return;
  const sha = options.repository ? `${slug.padEnd(40, '0')}` : null;
  if (options.repository)
    await sql`INSERT INTO sync_commit (sha, repository, author_name, author_email, authored_at, committed_at, message)
      VALUES (${sha}, ${options.repository}, 'A', 'a@example.com', now(), now(), 'm')`.execute(
      database.db,
    );
  const versionId = crypto.randomUUID();
  await sql`INSERT INTO connectorversion (id, connector_id, version, manifest, content_hash, blob_oid, commit_sha)
    VALUES (${versionId}, ${id}, '1.0.0', '{}', 'h', ${options.blob}, ${sha})`.execute(database.db);
  await sql`UPDATE connector SET latest_version_id = ${versionId} WHERE id = ${id}`.execute(
    database.db,
  );
}

beforeAll(async () => {
  testDb = await createTestDatabase();
  database = await testDb.open();
  await addConnector('ours', { blob: 'b1', repository: 'repo-a' });
  await addConnector('theirs', { blob: 'b2', repository: 'repo-b', status: 'deprecated' });
  await addConnector('by-hand', { blob: 'b3' });
  await addConnector('no-version');
  await addConnector('a-users', { isPlatform: false, blob: 'b4', repository: 'repo-a' });
});

afterAll(async () => {
  await database?.close();
  await testDb?.drop();
});

describe('readStoredBlobs', () => {
  it("reads every platform connector's status and latest blob, and whether a repository manages it", async () => {
    expect(await readStoredBlobs(database.db, { managedBy: 'repo-a' })).toEqual(
      new Map([
        ['ours', { status: 'beta', blobOid: 'b1', managed: true }],
        ['theirs', { status: 'deprecated', blobOid: 'b2', managed: false }],
        ['by-hand', { status: 'beta', blobOid: 'b3', managed: false }],
        ['no-version', { status: 'beta', blobOid: null, managed: false }],
      ]),
    );
    const unasked = await readStoredBlobs(database.db);
    expect([...unasked.values()].every((stored) => !stored.managed)).toBe(true);
    expect(unasked.get('theirs')?.blobOid).toBe('b2');
  });

  it.skipIf(skipping(!process.env.TEST_DATABASE_URL, 'the embedded PGlite has no JIT to turn off'))(
    'runs on PostgreSQL sessions without JIT (a scan of every connector is costed high enough to compile)',
    async () => {
      const { rows } = await sql<{ jit: string }>`SHOW jit`.execute(database.db);
      expect(rows[0]?.jit).toBe('off');
    },
  );
});
