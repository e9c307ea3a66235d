import pino from 'pino';
import { type Config, loadConfig } from '../../../src/config.js';
import { openSession } from '../../../src/sync/openSession.js';
import { syncOnce } from '../../../src/sync/syncOnce.js';
import { createTempRepo, type TempRepo } from '../../helpers/gitRepo.js';
import { buildAction, buildManifest, manifestText } from '../../helpers/manifestBuilder.js';
import { createTestDatabase, type TestDatabase } from '../../helpers/testDatabase.js';

export const silentLogger = pino({ level: 'silent' });

export const ALICE = { name: 'Alice Archer', email: 'alice@example.com' };
export const BOB = { name: 'Bob Brown', email: 'bob@example.com' };
export const CAROL = { name: 'Carol Chen', email: 'carol@example.com' };
export const DAVE = { name: 'Dave Doe', email: 'dave@example.com' };

const day = (d: number) => new Date(Date.UTC(2026, 0, d, 9, 30));
const gmail = buildManifest();
const gmailWithLabels = buildManifest({
  actions: { ...gmail.actions, add_label: buildAction({ name: 'Add label' }) },
});
const slack = buildManifest({ slug: 'slack', name: 'Slack', description: 'Post to Slack.' });
const slackAgain = { ...slack, description: 'Post messages to Slack channels.' };

/** A synced history by four authors; the comments say what each commit does to the database. */
export interface AuditFixture {
  repo: TempRepo;
  testDb: TestDatabase;
  config: Config;
  /** The global CLI flags that point at this repository and database. */
  flags: string[];
  sha: {
    /** Alice: README only, before any manifest. */
    root: string;
    /** Alice: gmail 1.0.0 and slack 1.0.0 (tag `first`, branch `old`). */
    first: string;
    /** Bob: gmail gains an action, 1.1.0 minor (tag `labels`). */
    labels: string;
    /** Carol: reverts gmail to its first content: the action is gone, 2.0.0 major (a revert is a new version). */
    revert: string;
    /** Dave: deletes slack; it is deprecated, no new version. */
    deleteSlack: string;
    /** Alice: restores slack with a new description, 1.0.1 patch. */
    restoreSlack: string;
  };
  close(): Promise<void>;
}

/** Builds the repository, a fresh database, and syncs the whole history in this process. */
export async function createAuditFixture(): Promise<AuditFixture> {
  const repo = createTempRepo();
  const write = (slug: string, manifest: unknown) =>
    repo.write(`manifests/${slug}.json`, manifestText(manifest));
  repo.write('README.md', '# registry\n');
  const root = repo.commit('Start the registry', { author: ALICE, date: day(1) });
  write('gmail', gmail);
  write('slack', slack);
  const first = repo.commit('Add Gmail and Slack', { author: ALICE, date: day(2) });
  repo.git('tag', 'first');
  repo.branch('old');
  write('gmail', gmailWithLabels);
  const labels = repo.commit('Gmail: add the add_label action\n\nSupport asked for labels.', {
    author: BOB,
    date: day(3),
  });
  repo.git('tag', 'labels');
  write('gmail', gmail);
  const revert = repo.commit('Revert "Gmail: add the add_label action"', {
    author: CAROL,
    date: day(4),
  });
  repo.remove('manifests/slack.json');
  const deleteSlack = repo.commit('Remove Slack', { author: DAVE, date: day(5) });
  write('slack', slackAgain);
  const restoreSlack = repo.commit('Bring Slack back', { author: ALICE, date: day(6) });

  const testDb = await createTestDatabase();
  const config = loadConfig(
    {
      repo: repo.path,
      dataDir: testDb.dataDir,
      logLevel: 'silent',
      ...(testDb.url ? { databaseUrl: testDb.url } : {}),
    },
    {},
    repo.path,
  );
  const session = await openSession(config, { holder: 'audit test', logger: silentLogger });
  try {
    await syncOnce({ config, logger: silentLogger, ...session });
  } finally {
    await session.close();
  }
  const flags = [
    '--repo',
    repo.path,
    '--data-dir',
    testDb.dataDir,
    '--log-level',
    'silent',
    ...(testDb.url ? ['--database-url', testDb.url] : []),
  ];
  return {
    repo,
    testDb,
    config,
    flags,
    sha: { root, first, labels, revert, deleteSlack, restoreSlack },
    async close() {
      await testDb.drop();
      repo.cleanup();
    },
  };
}

/** A connector as the platform made it before manifest-sync: one version, no commit, a hostile name. */
export const LEGACY = {
  slug: 'legacy',
  name: '<script>alert(1)</script> Legacy',
  version: '0.9.0',
  sql: `
    INSERT INTO connector (id, slug, name, status, is_platform, created_at)
    VALUES ('00000000-0000-4000-8000-000000000001', 'legacy', '<script>alert(1)</script> Legacy',
            'stable', true, '2025-01-01 00:00:00');
    INSERT INTO connectorversion (id, connector_id, version, manifest, created_at)
    VALUES ('00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000001',
            '0.9.0', '{"slug": "legacy", "version": "0.9.0"}', '2025-01-01 00:00:00');
    UPDATE connector SET latest_version_id = '00000000-0000-4000-8000-000000000002'
    WHERE id = '00000000-0000-4000-8000-000000000001';`,
} as const;
