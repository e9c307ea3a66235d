import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ExitCode } from '../../../src/cli/exitCodes.js';
import { runCli } from '../../helpers/cli.js';
import { readNdjson } from '../../helpers/ndjson.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/testDatabase.js';
import { type CheckRepo, createCheckRepo } from './fixture.js';

// Each test runs the CLI a few times (in this process; each run on the embedded store opens it anew).
vi.setConfig({ testTimeout: 120_000 });

let fixture: CheckRepo;
let database: TestDatabase;
beforeAll(async () => {
  fixture = createCheckRepo();
  database = await createTestDatabase();
});
afterAll(async () => {
  fixture.repo.cleanup();
  await database.drop();
});

const where = () =>
  database.url ? ['--database-url', database.url] : ['--data-dir', database.dataDir];
const run = (args: string[]) => runCli(args, { cwd: fixture.repo.path });
const pick = (d: Record<string, unknown>) => [
  d.revision,
  d.slug,
  d.action,
  d.from,
  d.to,
  d.bump,
  d.reasons,
];

async function count(url: string, sql: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return Number((await client.query(sql)).rows[0]?.n);
  } finally {
    await client.end();
  }
}

const COUNTS =
  'SELECT (SELECT count(*) FROM connector) + (SELECT count(*) FROM connectorversion) * 1000 + ' +
  '(SELECT count(*) FROM sync_run) * 1000000 + (SELECT count(*) FROM sync_cursor) * 1000000000 AS n';

describe('check plans as sync does', () => {
  it('--per-commit decides exactly what `sync --dry-run` decides for the same commits', async () => {
    const sync = await run(['sync', '--dry-run', '--json', '--branch', 'feature', ...where()]);
    expect(sync.code).toBe(ExitCode.problems); // bad.json is refused by sync too
    // sync --json streams NDJSON: the decisions as they are planned, the summary (with refusals) last.
    const streamed = readNdjson(sync.stdout);
    const synced = {
      decisions: streamed.decisions as Record<string, unknown>[],
      refusals: streamed.summary.refusals as Record<string, unknown>[],
    };
    const checked = await run(['check', '--base', fixture.base, '--per-commit', '--json']);
    expect(checked.code).toBe(ExitCode.problems);
    const report = JSON.parse(checked.stdout) as {
      entries: Record<string, unknown>[];
      refusals: Record<string, unknown>[];
    };
    const after = (d: Record<string, unknown>) => d.revision !== fixture.base;
    const byKey = (a: unknown[], b: unknown[]) => String(a).localeCompare(String(b));
    expect(report.entries.map(pick).sort(byKey)).toEqual(
      synced.decisions.filter(after).map(pick).sort(byKey),
    );
    expect(report.refusals).toEqual(synced.refusals);
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL)('check --database-url (PostgreSQL)', () => {
  it("numbers from the database's latest versions, and writes nothing there", async () => {
    const url = database.url as string;
    fixture.repo.git('branch', 'synced', fixture.minorCommit);
    const sync = await run(['sync', '--branch', 'synced', '--database-url', url]);
    expect(sync.code).toBe(ExitCode.ok);
    const before = await count(url, COUNTS);
    const result = await run([
      'check',
      '--base',
      fixture.minorCommit,
      '--json',
      '--database-url',
      url,
    ]);
    const report = JSON.parse(result.stdout) as {
      versionsFrom: string;
      entries: { slug: string; from: string; to: string }[];
    };
    expect(report.versionsFrom).toBe('database');
    const versions = Object.fromEntries(report.entries.map((e) => [e.slug, [e.from, e.to]]));
    // The files at the base still say 1.0.0; the database holds 1.1.0 and 1.0.1.
    expect(versions.gmail).toEqual(['1.1.0', '2.0.0']);
    expect(versions.slack).toEqual(['1.0.1', '1.0.2']);
    expect(await count(url, COUNTS)).toBe(before);
  });

  it('never migrates: a database without the tables exits 3 and stays without them', async () => {
    const empty = await createTestDatabase({ migrated: false });
    try {
      const url = empty.url as string;
      const result = await run(['check', '--base', fixture.base, '--database-url', url]);
      expect(result.code).toBe(ExitCode.database);
      expect(result.stderr).toMatch(/has no manifest-sync tables: `check` never migrates/);
      expect(
        await count(
          url,
          "SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'public'",
        ),
      ).toBe(0);
    } finally {
      await empty.drop();
    }
  });
});
