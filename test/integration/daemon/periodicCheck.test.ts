import { afterEach, describe, expect, it } from 'vitest';
import { createMetrics } from '../../../src/daemon/metrics.js';
import { createPass, FULL_PASS_EVERY } from '../../../src/daemon/pass.js';
import { writeSuspension } from '../../../src/db/operations/control/writeSuspension.js';
import { createTestDatabase } from '../../helpers/testDatabase.js';
import {
  Cleanup,
  commitManifest,
  createManifestRepo,
  onPostgres,
  readStoredState,
  testConfig,
  testDaemonConfig,
  testLogger,
} from './harness.js';

const backend = onPostgres ? 'postgres' : 'embedded';

// The pass alone, with no loop and no watcher: nothing nudges it, so only the periodic check
// (wake 'interval') can notice the branch moving.
describe(`the periodic check (${backend})`, () => {
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  it('applies a ref move nobody announced; with the ref unmoved it writes nothing', async () => {
    const repo = createManifestRepo(cleanup);
    const first = commitManifest(repo, 'gmail');
    const testDb = await createTestDatabase();
    cleanup.defer(() => testDb.drop());
    const database = await testDb.open();
    cleanup.defer(() => database.close());
    let now = Date.parse('2026-01-01T00:00:00Z');
    const daemon = testDaemonConfig({ pollIntervalMs: 30_000 });
    const pass = createPass({
      config: testConfig(repo, testDb),
      daemon,
      database,
      metrics: createMetrics({ defaultMetrics: false }),
      logger: testLogger,
      clock: () => new Date(now),
      newId: () => crypto.randomUUID(),
    });
    cleanup.defer(() => pass.close());
    const signal = new AbortController().signal;
    const shas = async () => (await readStoredState(database)).versions.map((v) => v.commit_sha);

    await pass.run(signal, 'start');
    expect(await shas()).toEqual([first]);
    await pass.run(signal, 'interval');
    expect(await shas()).toEqual([first]);

    const second = commitManifest(repo, 'gmail', 'Send and search email, again.');
    now += daemon.pollIntervalMs;
    await pass.run(signal, 'interval');
    expect(await shas()).toEqual([first, second]);
    expect((await readStoredState(database)).cursors).toEqual([second]);

    // Past FULL_PASS_EVERY intervals a whole pass runs again: it re-reads the suspension.
    await writeSuspension(database.db, {
      repository: repo.git('rev-list', '--max-parents=0', 'HEAD'),
      branch: repo.git('symbolic-ref', '--short', 'HEAD'),
      suspended: true,
      by: 'test',
      reason: 'periodic',
      now: new Date(now),
    });
    await pass.run(signal, 'interval');
    expect(pass.state.suspension).toBeNull();
    now += FULL_PASS_EVERY * daemon.pollIntervalMs;
    await pass.run(signal, 'interval');
    expect(pass.state.suspension?.by).toBe('test');
  });
});
