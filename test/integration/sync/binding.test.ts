import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exitCodeFor } from '../../../src/cli/exitCodes.js';
import { openRepository } from '../../../src/git/index.js';
import { rebind } from '../../../src/sync/rebind.js';
import { buildAction, buildManifest, manifestText } from '../../helpers/manifestBuilder.js';
import { createSyncHarness, onPostgres, type SyncHarness, silentLogger } from './harness.js';

const backend = onPostgres ? 'postgres' : 'embedded';
// CLI processes start slowly on a loaded machine: these tests allow for it.
const slow = { timeout: 240_000 };

let harnesses: SyncHarness[] = [];
const cleanups: (() => void)[] = [];
async function harness(): Promise<SyncHarness> {
  const h = await createSyncHarness();
  harnesses.push(h);
  return h;
}
afterEach(async () => {
  await Promise.all(harnesses.map((h) => h.close()));
  for (const cleanup of cleanups.splice(0)) cleanup();
  harnesses = [];
});

const gmail = buildManifest();
const archive = buildAction({ name: 'Archive' });
const notion = buildManifest({ slug: 'notion', name: 'Notion', version: '0.3.0' });

/** Every row a sync could write, except the run log: what "not one row changes" compares. */
async function rows(h: SyncHarness) {
  return {
    connectors: await h.query('SELECT * FROM connector ORDER BY slug'),
    versions: await h.query('SELECT * FROM connectorversion ORDER BY id'),
    commits: await h.query('SELECT * FROM sync_commit ORDER BY sha'),
    // Its revision, not its updated_at: a resync of an unchanged head rewrites the same cursor.
    cursors: await h.query('SELECT repository, branch, revision FROM sync_cursor ORDER BY branch'),
    bindings: await h.query('SELECT * FROM sync_binding'),
    refusals: await h.query('SELECT * FROM sync_refusal ORDER BY id'),
  };
}

/** `rebind` in this process, against the harness's repository and database. */
async function rebindIn(
  h: SyncHarness,
  options: { branch?: string; path?: string; force?: boolean },
) {
  const repository = await openRepository({ path: h.repo.path });
  try {
    return await rebind(
      { config: h.config, repository, database: await h.db(), logger: silentLogger },
      { branch: options.branch ?? null, path: options.path ?? null, force: options.force ?? false },
    );
  } finally {
    await repository.close();
  }
}

/** The error a promise rejects with (fails the test when it resolves). */
async function failure(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (error: Error) => error,
  );
}

describe(`the binding: one branch, one folder (${backend})`, () => {
  it(
    'follows the recorded branch whatever is checked out; commits on it from another worktree apply',
    slow,
    async () => {
      const h = await harness();
      const root = h.repo.revParse();
      h.writeManifest({ ...gmail, actions: { ...gmail.actions, archive } });
      h.commit('add gmail');
      h.writeManifest({ ...gmail, actions: { ...gmail.actions, archive }, description: 'Mail.' });
      h.commit('reword gmail');
      expect((await h.sync()).versionsCreated).toBe(2);
      const synced = await rows(h);
      expect(synced.bindings).toMatchObject([{ branch: 'main', path: 'manifests' }]);

      // A feature branch with another history: gmail without `archive` (a major), then reworded.
      h.repo.git('checkout', '-q', '-b', 'feature', root);
      h.writeManifest(gmail);
      h.commit('gmail without archive');
      h.writeManifest({ ...gmail, description: 'Feature mail.' });
      h.commit('feature reword');

      const report = await h.sync();
      expect(report).toMatchObject({ branch: 'main', commitsApplied: 0, versionsCreated: 0 });
      expect(report.decisions).toEqual([]);
      expect((await h.sync({ dryRun: true })).decisions).toEqual([]);
      expect((await h.sync({ kind: 'resync' })).decisions).toEqual([]);
      expect(await rows(h)).toEqual(synced);

      // main moves on from another worktree; this working copy stays on feature, untouched.
      const other = mkdtempSync(join(tmpdir(), 'manifest-sync-worktree-'));
      cleanups.push(() => rmSync(other, { recursive: true, force: true }));
      h.repo.git('worktree', 'add', '-q', other, 'main');
      writeFileSync(
        join(other, 'manifests', 'gmail.json'),
        manifestText({ ...gmail, actions: { ...gmail.actions, archive }, description: 'Main.' }),
      );
      h.repo.git('-C', other, 'commit', '-q', '-am', 'reword on main');
      const onMain = h.repo.git('-C', other, 'rev-parse', 'HEAD');
      const applied = await h.sync();
      expect(applied).toMatchObject({ branch: 'main', commitsApplied: 1, versionsCreated: 1 });
      expect((await h.versions('gmail')).map((v) => [v.version, v.commit_sha === onMain])).toEqual([
        ['1.0.0', false],
        ['1.0.1', false],
        ['1.0.2', true],
      ]);
      expect(h.repo.git('symbolic-ref', '--short', 'HEAD')).toBe('feature');
      expect(h.repo.git('status', '--porcelain')).toBe('');
      expect((await h.status()).branch).toBe('main');
    },
  );

  it(
    'refuses a --branch or --path that contradicts the record, naming both (exit 7); nothing moves',
    slow,
    async () => {
      const h = await harness();
      h.writeManifest(gmail);
      h.commit('add gmail');
      await h.sync();
      h.repo.branch('feature');
      h.writeManifest({ ...gmail, description: 'pending' });
      h.commit('pending');
      const before = await rows(h);

      const branch = await failure(h.sync({}, { branch: 'feature' }));
      expect(branch.message).toMatch(
        /--branch feature contradicts the recorded branch 'main'.*rebind/,
      );
      expect(exitCodeFor(branch)).toBe(7);
      const path = await failure(h.sync({ dryRun: true }, { path: 'manifest' }));
      expect(path.message).toMatch(
        /--path manifest contradicts the recorded manifest folder 'manifests'/,
      );
      expect(exitCodeFor(path)).toBe(7);
      // The recorded values themselves are fine to repeat.
      expect(await rows(h)).toEqual(before);
      expect((await h.sync({}, { branch: 'main', path: 'manifests/' })).commitsApplied).toBe(1);
    },
  );

  it(
    'a typo in --path and a repository without the folder exit non-zero and record nothing',
    slow,
    async () => {
      const h = await harness();
      h.writeManifest(gmail);
      h.commit('add gmail');
      const typo = await h.cli('sync', '--path', 'manifest');
      expect(typo.code).toBe(8);
      expect(typo.stderr).toMatch(/manifest folder 'manifest' has never existed on main/);
      await h.db(); // opened once, before the concurrent queries of counts()
      expect(await h.counts()).toMatchObject({ sync_cursor: 0, connector: 0, connectorversion: 0 });
      expect(await h.query('SELECT * FROM sync_binding')).toEqual([]);
      // The right folder then syncs the whole history.
      expect((await h.sync()).versionsCreated).toBe(1);

      const bare = await harness(); // a README, no manifests/ at all
      const empty = await bare.cli('sync');
      expect(empty.code).toBe(8);
      expect(empty.stderr).toMatch(/has never existed/);
      await bare.db();
      expect(await bare.counts()).toMatchObject({ sync_cursor: 0, connector: 0 });
      // Only the run log shows the attempt, as failed.
      expect(await bare.query('SELECT outcome, to_revision FROM sync_run')).toEqual([
        { outcome: 'failed', to_revision: bare.repo.revParse() },
      ]);
      expect(await bare.query('SELECT * FROM sync_binding')).toEqual([]);
    },
  );

  it(
    'stops with exit 8 when the recorded branch is gone; a forced rebind follows another',
    slow,
    async () => {
      const h = await harness();
      h.writeManifest(gmail);
      const synced = h.commit('add gmail');
      await h.sync();
      h.repo.git('checkout', '-q', '-b', 'trunk');
      h.repo.git('branch', '-D', 'main');
      const before = await rows(h);
      const gone = await failure(h.sync());
      expect(gone.message).toMatch(/recorded branch 'main' does not exist .*rebind --branch/);
      expect(exitCodeFor(gone)).toBe(8);
      expect(await rows(h)).toEqual(before);

      // What is unapplied on a deleted branch is unknown: only a forced rebind leaves it behind.
      const refused = await failure(rebindIn(h, { branch: 'trunk' }));
      expect(exitCodeFor(refused)).toBe(7);
      // A hostile branch name is one that does not exist.
      expect(
        exitCodeFor(
          await failure(rebindIn(h, { branch: '--upload-pack=touch /tmp/x', force: true })),
        ),
      ).toBe(8);
      expect(await rows(h)).toEqual(before);

      const report = await rebindIn(h, { branch: 'trunk', force: true });
      expect(report).toMatchObject({
        from: { branch: 'main' },
        to: { branch: 'trunk' },
        cursor: synced,
      });
      h.writeManifest({ ...gmail, description: 'on trunk' });
      const next = h.commit('on trunk');
      expect(await h.sync()).toMatchObject({ branch: 'trunk', from: synced, commitsApplied: 1 });
      expect((await h.versions('gmail')).at(-1)).toMatchObject({
        version: '1.0.1',
        commit_sha: next,
      });
    },
  );

  it(
    'rebind is refused while commits are pending, then moves the binding and the cursor with it',
    slow,
    async () => {
      const h = await harness();
      h.writeManifest(gmail);
      h.commit('add gmail');
      await h.sync();
      h.writeManifest({ ...gmail, description: 'pending on main' });
      h.commit('pending on main');
      h.repo.git('checkout', '-q', '-b', 'release');
      h.writeManifest(notion);
      const release = h.commit('add notion on release');

      const pending = await failure(rebindIn(h, { branch: 'release' }));
      expect(pending.message).toMatch(
        /1 commit\(s\) on the recorded branch 'main' after the cursor.*--force/,
      );
      expect(exitCodeFor(pending)).toBe(7);
      expect(await h.query('SELECT branch FROM sync_binding')).toEqual([{ branch: 'main' }]);

      await h.sync(); // applies the pending commit on main, whatever is checked out
      const report = await rebindIn(h, { branch: 'release' });
      expect(report).toMatchObject({
        pending: 0,
        forced: false,
        to: { branch: 'release', path: 'manifests' },
      });
      expect(
        await h.query('SELECT branch, path, previous_branch, previous_path FROM sync_binding'),
      ).toEqual([
        {
          branch: 'release',
          path: 'manifests',
          previous_branch: 'main',
          previous_path: 'manifests',
        },
      ]);
      expect(await h.query('SELECT branch FROM sync_cursor')).toEqual([{ branch: 'release' }]);
      const next = await h.sync();
      expect(next).toMatchObject({ branch: 'release', commitsApplied: 1, connectorsCreated: 1 });
      expect((await h.versions('notion'))[0]?.commit_sha).toBe(release);
      expect((await h.versions('gmail')).map((v) => v.version)).toEqual(['1.0.0', '1.0.1']);
    },
  );

  it(
    'a commit that removes the manifest folder deprecates every connector, shown by the dry run',
    slow,
    async () => {
      const h = await harness();
      h.writeManifest(gmail);
      h.writeManifest(notion);
      h.commit('add two');
      await h.sync();
      h.repo.git('rm', '-q', '-r', 'manifests');
      h.commit('remove the folder');
      const dry = await h.sync({ dryRun: true });
      expect(dry.decisions.map((d) => [d.action, d.slug])).toEqual([
        ['deprecate', 'gmail'],
        ['deprecate', 'notion'],
      ]);
      expect((await h.sync()).decisions).toEqual(dry.decisions);
      expect((await h.connector('gmail'))?.status).toBe('deprecated');
      expect((await h.connector('notion'))?.status).toBe('deprecated');
      expect(await h.versions('gmail')).toHaveLength(1);
    },
  );

  it(
    'sync --dry-run --since REV plans from the state at REV: what a real sync of the range wrote',
    slow,
    async () => {
      const h = await harness();
      h.writeManifest({ ...gmail, actions: { ...gmail.actions, archive } });
      const first = h.commit('add gmail');
      await h.sync();
      h.writeManifest({ ...gmail, description: 'No more archive.' });
      h.commit('drop archive'); // major
      h.writeManifest({ ...gmail, description: 'Reworded.' });
      h.writeManifest(notion);
      h.commit('reword gmail, add notion');
      h.repo.remove('manifests/notion.json');
      h.commit('remove notion');
      const real = await h.sync();
      expect(real.decisions.map((d) => `${d.action} ${d.slug} ${d.from}→${d.to}`)).toEqual([
        'version gmail 1.0.0→2.0.0',
        'version gmail 2.0.0→2.0.1',
        'create notion null→0.3.0',
        'deprecate notion 0.3.0→0.3.0',
      ]);
      const before = await rows(h);

      const dry = await h.sync({ since: first, dryRun: true });
      expect(dry.decisions).toEqual(real.decisions);
      expect(dry.versionsCreated).toBe(real.versionsCreated);
      expect(await rows(h)).toEqual(before);
    },
  );
});
