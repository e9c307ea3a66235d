import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { createTempRepo } from '../../helpers/gitRepo.js';
import { buildManifest, manifestText } from '../../helpers/manifestBuilder.js';
import { skipping } from '../../helpers/skip.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/testDatabase.js';

const repo = createTempRepo();
let empty: TestDatabase;

beforeAll(async () => {
  repo.write('manifests/gmail.json', manifestText(buildManifest()));
  repo.commit('gmail');
  // Embedded: no store at all; the read-only commands below must not create one.
  empty = await createTestDatabase({ migrated: false, noStore: true });
});
afterAll(async () => {
  await empty.drop();
  repo.cleanup();
});

/** The flags that point a command at the empty database, on either backend. */
const at = (database: TestDatabase) =>
  database.url ? ['--database-url', database.url] : ['--data-dir', database.dataDir];

describe('configuration errors name their source', () => {
  it.each([
    [['--database-url', 'not-a-url'], {}, '--database-url is not a URL'],
    [['--database-url', 'mysql://root:hunter2@db/x'], {}, '--database-url must be a postgres://'],
    [[], { DATABASE_URL: 'mysql://root:hunter2@db/x' }, '$DATABASE_URL must be a postgres://'],
    [[], { DATABASE_URL: 'postgres://' }, '$DATABASE_URL names no host'],
  ] as const)(
    '%j %j: exit 2, %s',
    async (flags, env, message) => {
      for (const command of ['status', 'sync', 'migrate', 'daemon']) {
        const result = await runCli(
          [command, ...flags, '--http-port', '0'].slice(0, command === 'daemon' ? undefined : -2),
          {
            cwd: repo.path,
            env,
          },
        );
        expect(result.code, `${command}: ${result.stderr}`).toBe(2);
        expect(result.stderr).toContain(message);
        expect(result.stderr).not.toContain('migration failed');
        expect(result.stderr).not.toContain('hunter2');
      }
    },
    180_000,
  );

  it('an unreachable server is "cannot connect to" the redacted URL, exit 3, from readers and writers', async () => {
    const url = 'postgres://someone:hunter2@127.0.0.1:1/platform';
    for (const command of ['status', 'history gmail', 'sync', 'migrate']) {
      const result = await runCli([...command.split(' '), '--database-url', url], {
        cwd: repo.path,
      });
      expect(result.code, result.stderr).toBe(3);
      expect(result.stderr).toContain(
        'cannot connect to postgres://someone:***@127.0.0.1:1/platform',
      );
      expect(result.stderr).not.toContain('hunter2');
      expect(result.stderr).not.toContain('migration failed');
    }
  }, 180_000);
});

describe('read-only commands write nothing', () => {
  it.skipIf(
    skipping(
      !process.env.TEST_DATABASE_URL,
      "a dry run on the platform's own tables needs a PostgreSQL server (TEST_DATABASE_URL)",
    ),
  )(
    "a dry run on the platform's tables without the schema says so, and leaves them alone",
    async () => {
      const seeded = await createTestDatabase({ seeded: true });
      try {
        const result = await runCli(['sync', '--dry-run', ...at(seeded)], { cwd: repo.path });
        expect(result.code, result.stderr).toBe(3);
        expect(result.stderr).toContain("has the platform's tables but no manifest-sync schema");
        const migrate = await runCli(['migrate', '--json', ...at(seeded)], { cwd: repo.path });
        expect(JSON.parse(migrate.stdout).applied).toContain('0002_sync_tables');
      } finally {
        await seeded.drop();
      }
    },
    60_000,
  );

  // Before the next test, which checks that the database is still empty.
  it('sync --dry-run plans an empty database as empty, writing nothing, not even the schema', async () => {
    const result = await runCli(['sync', '--dry-run', ...at(empty)], { cwd: repo.path });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/create +gmail \(new\) → 1\.0\.0/);
    expect(result.stdout).toContain('(dry run)');
    expect(result.stderr).toContain('planning against an empty database in memory');
  }, 120_000);

  it('status, history, show and diff on an empty database say it has no schema, and leave it empty (the dry run too)', async () => {
    for (const command of [
      'status',
      'history gmail',
      'show gmail',
      'diff gmail@1.0.0 gmail@1.0.1',
    ]) {
      const result = await runCli([...command.split(' '), ...at(empty)], { cwd: repo.path });
      expect(result.code, `${command}: ${result.stderr}`).toBe(3);
      expect(result.stderr).toMatch(/has no manifest-sync schema yet|no embedded database in/);
      expect(result.stderr).toContain('manifest-sync sync');
    }
    if (empty.url) {
      const tables = await runCli(['migrate', '--json', ...at(empty)], { cwd: repo.path });
      // Only now, by `migrate`, are the tables created: all of its migrations were pending.
      expect(JSON.parse(tables.stdout).applied).toContain('0001_platform_schema');
    } else {
      expect(existsSync(join(empty.dataDir, 'db'))).toBe(false);
      expect(readdirSync(empty.dataDir)).toEqual([]);
    }
  }, 180_000);
});
