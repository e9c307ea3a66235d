import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/db/connection.js';
import {
  readManagedSlugs,
  readStoredBlobs,
} from '../../../src/db/operations/connectors/readStoredBlobs.js';
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
  it("reads every platform connector's status and latest blob", async () => {
    expect(await readStoredBlobs(database.db)).toEqual(
      new Map([
        ['ours', { status: 'beta', blobOid: 'b1' }],
        ['theirs', { status: 'deprecated', blobOid: 'b2' }],
        ['by-hand', { status: 'beta', blobOid: 'b3' }],
        ['no-version', { status: 'beta', blobOid: null }],
      ]),
    );
  });

  it('lists the platform connectors a repository manages (a version from its commits), but for those excepted', async () => {
    const none = new Set<string>();
    expect(await readManagedSlugs(database.db, { repository: 'repo-a', except: none })).toEqual([
      'ours',
    ]);
    expect(await readManagedSlugs(database.db, { repository: 'repo-b', except: none })).toEqual([
      'theirs',
    ]);
    const present = new Set(['ours', 'unknown']);
    expect(await readManagedSlugs(database.db, { repository: 'repo-a', except: present })).toEqual(
      [],
    );
  });
});
