import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildManifest, manifestText } from '../../helpers/manifestBuilder.js';
import { createTestDatabase } from '../../helpers/testDatabase.js';
import {
  Cleanup,
  commitManifest,
  createManifestRepo,
  onPostgres,
  startTestDaemon,
  testConfig,
} from './harness.js';

const backend = onPostgres ? 'postgres' : 'embedded';

describe(`a daemon follows the recorded branch, not the checkout (${backend})`, () => {
  const cleanup = new Cleanup();
  afterEach(() => cleanup.run());

  it('ignores a checkout of another history and applies main moved from another worktree', {
    timeout: 120_000,
  }, async () => {
    const repo = createManifestRepo(cleanup);
    const root = repo.revParse();
    const first = commitManifest(repo, 'gmail');
    const testDb = await createTestDatabase();
    cleanup.defer(() => testDb.drop());
    const daemon = await startTestDaemon(testConfig(repo, testDb), cleanup);
    await vi.waitFor(
      async () => expect((await daemon.state()).versions.map((v) => v.commit_sha)).toEqual([first]),
      { timeout: 30_000, interval: 20 },
    );

    // The working copy switches to a branch with another history, which moves on too.
    repo.git('checkout', '-q', '-b', 'feature', root);
    const feature = [commitManifest(repo, 'gmail', 'Feature one.')];
    repo.write('manifests/gmail.json', manifestText(buildManifest({ actions: {} })));
    feature.push(repo.commit('feature: drop every action'));

    // main moves on from another worktree: the daemon applies that, and nothing of feature.
    const other = mkdtempSync(join(tmpdir(), 'manifest-sync-worktree-'));
    cleanup.defer(() => rmSync(other, { recursive: true, force: true }));
    repo.git('worktree', 'add', '-q', other, 'main');
    writeFileSync(
      join(other, 'manifests', 'gmail.json'),
      manifestText(buildManifest({ slug: 'gmail', name: 'Connector gmail', description: 'Main.' })),
    );
    repo.git('-C', other, 'commit', '-q', '-am', 'main moves on');
    const onMain = repo.git('-C', other, 'rev-parse', 'HEAD');
    await vi.waitFor(
      async () =>
        expect((await daemon.state()).versions.map((v) => v.commit_sha)).toEqual([first, onMain]),
      { timeout: 30_000, interval: 20 },
    );
    const state = await daemon.state();
    expect(state.versions.map((v) => v.version)).toEqual(['1.0.0', '1.0.1']);
    expect(state.versions.some((v) => feature.includes(v.commit_sha ?? ''))).toBe(false);
    expect(state.cursors).toEqual([onMain]);
    expect(repo.git('symbolic-ref', '--short', 'HEAD')).toBe('feature');
    expect(repo.git('status', '--porcelain')).toBe('');
  });
});
