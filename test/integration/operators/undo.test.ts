import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/** The embedded database opens slowly on a loaded machine; these tests open it a few times each. */
const SLOW = 180_000;

import { formatHistory } from '../../../src/audit/formatHistory.js';
import type { Database } from '../../../src/db/connection.js';
import { openRepository } from '../../../src/git/index.js';
import type { OperatorRequest } from '../../../src/plan/operatorTypes.js';
import { readConnector } from '../../../src/query/readConnector.js';
import { readOperatorActions } from '../../../src/query/readOperatorActions.js';
import { readVersion } from '../../../src/query/readVersion.js';
import { readVersionHistory } from '../../../src/query/readVersionHistory.js';
import { runOperatorAction } from '../../../src/sync/operate.js';
import { syncOnce } from '../../../src/sync/syncOnce.js';
import { buildManifest } from '../../helpers/manifestBuilder.js';
import { createSyncHarness, onPostgres, type SyncHarness, silentLogger } from '../sync/harness.js';

let h: SyncHarness;
let key: { repository: string; branch: string };
beforeEach(async () => {
  h = await createSyncHarness();
});
afterEach(async () => {
  await h.close();
});

const ALICE = { name: 'alice', via: 'cli' as const };

/** Commits gmail `count` times with a new description each (1.0.0, 1.0.1, …) and syncs. */
async function versions(count: number, from = 0): Promise<void> {
  for (let i = from; i < from + count; i++) {
    h.writeManifest(buildManifest({ description: `Gmail, edition ${i}.` }));
    h.commit(`gmail edition ${i}`);
  }
  const report = await h.sync();
  key = { repository: report.repository, branch: report.branch };
}

async function act(request: OperatorRequest, database?: Database, now = new Date()) {
  return runOperatorAction((database ?? (await h.db())).db, key, request, { actor: ALICE, now });
}

async function latest(slug = 'gmail'): Promise<string | null> {
  return (await readConnector((await h.db()).db, slug))?.latest?.version ?? null;
}

async function stored(): Promise<string[]> {
  return (await h.versions('gmail')).map((v) => v.version);
}

describe('rollback and pin', () => {
  it(
    'rolls back and pins: a new commit still makes its version, numbered past the highest, the pointer stays; unpin moves it to the newest',
    async () => {
      await versions(3);
      expect(await latest()).toBe('1.0.2');
      const rolled = await act({
        action: 'rollback',
        slug: 'gmail',
        to: null,
        reason: 'bad scopes',
        until: null,
      });
      expect(rolled).toMatchObject({
        ok: true,
        plan: { audit: { fromVersion: '1.0.2', toVersion: '1.0.1' } },
      });
      expect(await latest()).toBe('1.0.1');

      await versions(1, 3);
      expect(await stored()).toEqual(['1.0.0', '1.0.1', '1.0.2', '1.0.3']);
      expect(await latest()).toBe('1.0.1');
      // Compared with the branch's own last version (1.0.2), not the pinned one.
      const [newest] = (await readVersionHistory((await h.db()).db, 'gmail')) ?? [];
      expect(newest).toMatchObject({ version: '1.0.3', bump: 'patch', latest: false });

      // A resync of the head leaves the pin alone too.
      await h.sync({ kind: 'resync' });
      expect(await latest()).toBe('1.0.1');

      expect(await act({ action: 'unpin', slug: 'gmail', reason: 'fixed in 1.0.3' })).toMatchObject(
        {
          ok: true,
          plan: { audit: { fromVersion: '1.0.1', toVersion: '1.0.3' } },
        },
      );
      expect(await latest()).toBe('1.0.3');
      await versions(1, 4);
      expect(await latest()).toBe('1.0.4');

      const log = await readOperatorActions((await h.db()).db, { slug: 'gmail' });
      expect(log.actions.map((a) => [a.action, a.actor, a.via, a.reason])).toEqual([
        ['unpin', 'alice', 'cli', 'fixed in 1.0.3'],
        ['rollback', 'alice', 'cli', 'bad scopes'],
      ]);
    },
    SLOW,
  );

  it(
    'an expired pin stops holding: the next pass moves the pointer to the newest and records it',
    async () => {
      await versions(2);
      const t0 = new Date();
      const until = new Date(t0.getTime() + 3_600_000);
      await act(
        { action: 'rollback', slug: 'gmail', to: '1.0.0', reason: 'incident', until },
        undefined,
        t0,
      );
      await h.sync();
      expect(await latest()).toBe('1.0.0');
      const repository = await openRepository({ path: h.repo.path });
      try {
        await syncOnce({
          config: h.config,
          repository,
          database: await h.db(),
          logger: silentLogger,
          clock: () => new Date(until.getTime() + 1),
        });
      } finally {
        await repository.close();
      }
      expect(await latest()).toBe('1.0.1');
      const [released] = (await readOperatorActions((await h.db()).db)).actions;
      expect(released).toMatchObject({ action: 'unpin', actor: 'manifest-sync', via: 'system' });
      expect(released?.reason).toMatch(/expired/);
    },
    SLOW,
  );
});

describe('yank and unyank', () => {
  it(
    'moves the pointer off a yanked latest, keeps the row (marked), never moves back onto it; unyank restores',
    async () => {
      await versions(3);
      expect(
        await act({
          action: 'yank',
          slug: 'gmail',
          version: '1.0.2',
          reason: 'breaks connections',
        }),
      ).toMatchObject({ ok: true });
      expect(await latest()).toBe('1.0.1');
      expect(await stored()).toEqual(['1.0.0', '1.0.1', '1.0.2']);
      const detail = await readVersion((await h.db()).db, { slug: 'gmail', version: '1.0.2' });
      expect(detail).toMatchObject({ yanked: true, latest: false });
      const connector = await readConnector((await h.db()).db, 'gmail');
      const history = (await readVersionHistory((await h.db()).db, 'gmail')) ?? [];
      if (connector) expect(formatHistory(connector, history).join('\n')).toMatch(/1\.0\.2 yanked/);

      // A resync does not "repair" the pointer onto the yanked head.
      await h.sync({ kind: 'resync' });
      expect(await latest()).toBe('1.0.1');

      // A later commit makes a new version as usual, and the pointer moves to it.
      await versions(1, 3);
      expect(await stored()).toEqual(['1.0.0', '1.0.1', '1.0.2', '1.0.3']);
      expect(await latest()).toBe('1.0.3');

      expect(
        await act({ action: 'yank', slug: 'gmail', version: '1.0.3', reason: 'also bad' }),
      ).toMatchObject({ ok: true });
      expect(await latest()).toBe('1.0.1');
      expect(
        await act({ action: 'unyank', slug: 'gmail', version: '1.0.3', reason: 'false alarm' }),
      ).toMatchObject({ ok: true });
      expect(await latest()).toBe('1.0.3');
      expect((await readOperatorActions((await h.db()).db)).total).toBe(3);
    },
    SLOW,
  );
});

describe('refusals: a clear message and an exit code each, nothing written', () => {
  it(
    'exits 5, 20, 21, 22, 23 (and 2 without a reason), writing no row',
    async () => {
      h.writeManifest(buildManifest({ slug: 'slack', name: 'Slack' }));
      h.writeManifest(buildManifest({ slug: 'gone', name: 'Gone' }));
      await versions(2);
      h.repo.remove('manifests/gone.json');
      h.commit('remove gone');
      await h.sync();
      await h.release();
      const cli = async (...args: string[]) => (await h.cli(...args, '--actor', 'bob')).code;
      const cases: [string[], number][] = [
        [['rollback', 'nobody', '--reason', 'r'], 5],
        [['rollback', 'gmail', '--to', '9.9.9', '--reason', 'r'], 5],
        [['rollback', 'gmail', '--to', 'slack@1.0.0', '--reason', 'r'], 20],
        [['rollback', 'gmail', '--to', '1.0.1', '--reason', 'r'], 20],
        [['pin', 'gone', '--reason', 'r'], 21],
        [['unyank', 'gmail@1.0.0', '--reason', 'r'], 22],
        [['rollback', 'slack', '--reason', 'r'], 23],
        [['rollback', 'gmail'], 2],
      ];
      for (const [args, code] of cases)
        expect([args.join(' '), await cli(...args)]).toEqual([args.join(' '), code]);
      expect(await h.query('SELECT * FROM sync_operator_action')).toEqual([]);
      expect(await h.query('SELECT * FROM sync_pin')).toEqual([]);
      expect(await latest()).toBe('1.0.1');
      // And the one that is allowed, from the same CLI: recorded with --actor.
      await h.release();
      expect(await cli('rollback', 'gmail', '--reason', 'incident 7')).toBe(0);
      expect(await latest()).toBe('1.0.0');
      expect((await readOperatorActions((await h.db()).db)).actions[0]).toMatchObject({
        actor: 'bob',
        via: 'cli',
        reason: 'incident 7',
      });
    },
    SLOW,
  );
});

describe('the action and its audit row: both or neither', () => {
  it(
    'a failure writing the audit row undoes the action; a failure in the action writes no audit row',
    async () => {
      await versions(2);
      await h.query(`CREATE FUNCTION test_fail() RETURNS trigger AS $$
      BEGIN RAISE EXCEPTION 'crash between the action and its audit row'; END $$ LANGUAGE plpgsql`);
      await h.query(`CREATE TRIGGER test_fail BEFORE INSERT ON sync_operator_action
      FOR EACH ROW EXECUTE FUNCTION test_fail()`);
      const rollback: OperatorRequest = {
        action: 'rollback',
        slug: 'gmail',
        to: null,
        reason: 'r',
        until: null,
      };
      await expect(act(rollback)).rejects.toThrow(/crash between/);
      expect(await latest()).toBe('1.0.1');
      expect(await h.query('SELECT * FROM sync_pin')).toEqual([]);

      await h.query('DROP TRIGGER test_fail ON sync_operator_action');
      await h.query(
        `CREATE TRIGGER test_fail BEFORE INSERT ON sync_yank FOR EACH ROW EXECUTE FUNCTION test_fail()`,
      );
      await expect(
        act({ action: 'yank', slug: 'gmail', version: '1.0.1', reason: 'r' }),
      ).rejects.toThrow(/crash between/);
      expect(await latest()).toBe('1.0.1');
      expect(await h.query('SELECT * FROM sync_operator_action')).toEqual([]);

      await h.query('DROP TRIGGER test_fail ON sync_yank');
      expect(await act(rollback)).toMatchObject({ ok: true });
      expect(await latest()).toBe('1.0.0');
      expect(await h.query('SELECT action FROM sync_operator_action')).toEqual([
        { action: 'rollback' },
      ]);
      // Append-only: no update, no delete, not even by the table's owner.
      await expect(h.query(`UPDATE sync_operator_action SET actor = 'mallory'`)).rejects.toThrow(
        /append-only/,
      );
      await expect(h.query('DELETE FROM sync_operator_action')).rejects.toThrow(/append-only/);
      await expect(h.query('TRUNCATE sync_operator_action')).rejects.toThrow(/append-only/);
    },
    SLOW,
  );
});

describe('two operators at once', () => {
  it(
    'are serialised under the sync lock: four concurrent yanks all land, the pointer on the one left',
    async () => {
      await versions(5);
      const extra: Database[] = onPostgres
        ? await Promise.all([1, 2, 3].map(() => h.testDb.open()))
        : [];
      try {
        const handles = [await h.db(), ...extra];
        const results = await Promise.all(
          ['1.0.1', '1.0.2', '1.0.3', '1.0.4'].map((version, i) =>
            act(
              { action: 'yank', slug: 'gmail', version, reason: `yank ${version}` },
              handles[i % handles.length],
            ),
          ),
        );
        expect(results.map((r) => r.ok)).toEqual([true, true, true, true]);
      } finally {
        await Promise.all(extra.map((d) => d.close()));
      }
      expect(await latest()).toBe('1.0.0');
      expect((await readOperatorActions((await h.db()).db)).total).toBe(4);
      expect(await h.query('SELECT count(*)::int AS n FROM sync_yank')).toEqual([{ n: 4 }]);
      // And the last one left cannot go: refused, nothing written.
      expect(
        await act({ action: 'yank', slug: 'gmail', version: '1.0.0', reason: 'r' }),
      ).toMatchObject({
        ok: false,
        refusal: { code: 'nowhere-to-go' },
      });
    },
    SLOW,
  );
});
