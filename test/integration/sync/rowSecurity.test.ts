import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { buildManifest } from '../../helpers/manifestBuilder.js';
import { skipping } from '../../helpers/skip.js';
import { createSyncHarness, onPostgres, type SyncHarness } from './harness.js';

/**
 * The platform owns `connector` and `connectorversion` and may protect them with row-level
 * security. COPY refuses a table whose row-level security applies to the writer; the sync then
 * inserts its rows (`copyAllowed`), as it did before it copied them.
 */
describe.skipIf(skipping(!onPostgres, 'a second login role needs a PostgreSQL server'))(
  'a sync as a role subject to row-level security on the platform tables',
  () => {
    let h: SyncHarness;
    const role = `rls_sync_${process.pid}`;
    beforeAll(async () => {
      h = await createSyncHarness();
      const database = new URL(h.testDb.url as string).pathname.slice(1);
      await h.testDb.exec(`CREATE ROLE ${role} LOGIN;
        GRANT ALL ON DATABASE ${database} TO ${role};
        GRANT ALL ON ALL TABLES IN SCHEMA public TO ${role};
        GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO ${role};
        ALTER TABLE connector ENABLE ROW LEVEL SECURITY;
        ALTER TABLE connectorversion ENABLE ROW LEVEL SECURITY;
        CREATE POLICY platform_rows ON connector USING (true) WITH CHECK (is_platform);
        CREATE POLICY every_version ON connectorversion USING (true) WITH CHECK (true);`);
    });
    afterAll(async () => {
      try {
        // Before the database goes: the role's grants live in it, and the role in the cluster.
        await h.release();
        await h.testDb.exec(`DROP OWNED BY ${role}; DROP ROLE ${role};`);
      } finally {
        await h.close();
      }
    });

    it('writes its connectors and versions, inserted, under the policies', async () => {
      for (const slug of ['gmail', 'slack', 'zoom']) h.writeManifest(buildManifest({ slug }), slug);
      h.commit('three connectors');
      const url = new URL(h.testDb.url as string);
      url.username = role;
      const result = await runCli([
        '--repo',
        h.repo.path,
        '--log-level',
        'warn',
        '--database-url',
        url.toString(),
        'sync',
      ]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const rows = await h.query<{ slug: string; version: string }>(`
        SELECT c.slug, v.version FROM connector c JOIN connectorversion v ON v.id = c.latest_version_id
        ORDER BY c.slug`);
      expect(rows.map((row) => row.slug)).toEqual(['gmail', 'slack', 'zoom']);
    });
  },
);
