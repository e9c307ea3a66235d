import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { ALICE, type AuditFixture, BOB, CAROL, createAuditFixture, LEGACY } from './fixture.js';

let fx: AuditFixture;
beforeAll(async () => {
  fx = await createAuditFixture();
  await fx.testDb.exec(LEGACY.sql);
});
afterAll(async () => {
  await fx?.close();
});

/** Runs the real CLI in this process (global flags point at the fixture) and captures its output. */
async function cli(...args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const { code, stdout, stderr } = await runCli([...fx.flags, ...args]);
  return { code, out: stdout, err: stderr };
}

const json = async (...args: string[]) => {
  const result = await cli(...args, '--json');
  expect(result.err).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.out);
};

describe('history', () => {
  it('lists every version newest first with short sha, author, date, subject, bump and reasons', async () => {
    const { code, out } = await cli('history', 'gmail');
    expect(code).toBe(0);
    const lines = out.split('\n');
    expect(lines[0]).toBe('gmail  Gmail (beta): 3 version(s), latest 2.0.0');
    const newest = lines.findIndex((l) => l.trimStart().startsWith('2.0.0 *'));
    const newer = lines.findIndex((l) => l.trimStart().startsWith('1.1.0 '));
    const older = lines.findIndex((l) => l.trimStart().startsWith('1.0.0 '));
    expect(newest).toBe(1);
    expect(newer).toBeGreaterThan(newest);
    expect(older).toBeGreaterThan(newer);
    expect(lines[newest]).toContain(`${CAROL.name} <${CAROL.email}>`);
    expect(lines[newest]).toContain('major');
    const row = lines[newer] ?? '';
    for (const part of [
      fx.sha.labels.slice(0, 10),
      '2026-01-03 09:30',
      `${BOB.name} <${BOB.email}>`,
      'minor',
      'Gmail: add the add_label action',
    ])
      expect(row).toContain(part);
    expect(row).not.toContain(fx.sha.labels);
    expect(row).not.toContain('Support asked for labels');
    expect(lines[newer + 1]).toMatch(/^\s+- .*add_label/);
    expect(lines[older]).toContain(ALICE.name);
    expect(lines[older]).toContain(fx.sha.first.slice(0, 10));
  });

  it('--json gives full shas, full messages and the reasons as an array', async () => {
    const { connector, versions } = await json('history', 'gmail');
    expect(connector).toMatchObject({
      slug: 'gmail',
      versionCount: 3,
      latest: { version: '2.0.0' },
    });
    expect(versions.map((v: { version: string }) => v.version)).toEqual([
      '2.0.0',
      '1.1.0',
      '1.0.0',
    ]);
    expect(versions[0]).toMatchObject({
      latest: true,
      bump: 'major',
      commit: { sha: fx.sha.revert },
    });
    expect(versions[1]).toMatchObject({
      latest: false,
      bump: 'minor',
      commit: {
        sha: fx.sha.labels,
        authorName: BOB.name,
        authorEmail: BOB.email,
        authoredAt: '2026-01-03T09:30:00.000Z',
        message: 'Gmail: add the add_label action\n\nSupport asked for labels.',
        reachable: true,
      },
    });
    expect(versions[1].reasons.some((r: string) => r.includes('add_label'))).toBe(true);
    expect(versions[2]).toMatchObject({ latest: false, commit: { sha: fx.sha.first } });
  });

  it('a deleted-then-restored connector keeps both versions, with their own authors', async () => {
    const { connector, versions } = await json('history', 'slack');
    expect(connector.status).toBe('beta');
    expect(
      versions.map((v: { version: string; bump: string; commit: { sha: string } }) => [
        v.version,
        v.bump,
        v.commit.sha,
      ]),
    ).toEqual([
      ['1.0.1', 'patch', fx.sha.restoreSlack],
      ['1.0.0', 'none', fx.sha.first],
    ]);
  });

  it('says "no commit" for a version made before manifest-sync', async () => {
    const { code, out } = await cli('history', 'legacy');
    expect(code).toBe(0);
    expect(out).toMatch(/0\.9\.0 \*\s+no commit \(made before manifest-sync\)/);
    const { versions } = await json('history', 'legacy');
    expect(versions).toEqual([expect.objectContaining({ version: '0.9.0', commit: null })]);
  });

  it('an unknown slug is a clear message and exit 5', async () => {
    const { code, out, err } = await cli('history', 'nope');
    expect(code).toBe(5);
    expect(out).toBe('');
    expect(err).toContain('no connector has the slug `nope`');
  });
});

describe('show', () => {
  it('without a version shows the one the latest pointer is on', async () => {
    const { code, out } = await cli('show', 'gmail');
    expect(code).toBe(0);
    expect(out).toContain('gmail@2.0.0 (latest)');
    expect(out).toContain(`commit     ${fx.sha.revert}`);
    expect(out).toContain(`author     ${CAROL.name} <${CAROL.email}>`);
    expect(out).toContain('bump       major');
    expect(out).toContain('"slug": "gmail"');
    const first = await cli('show', 'gmail@1.0.0');
    expect(first.out).toContain(`author     ${ALICE.name} <${ALICE.email}>`);
  });

  it('SLUG@VERSION --json gives the manifest and the provenance', async () => {
    const shown = await json('show', 'gmail@1.1.0');
    expect(shown).toMatchObject({
      slug: 'gmail',
      version: '1.1.0',
      bump: 'minor',
      commit: { sha: fx.sha.labels, authorName: BOB.name, reachable: true },
      manifest: { version: '1.1.0', actions: { add_label: { name: 'Add label' } } },
    });
  });

  it.each([
    ['a tag', 'gmail', 'labels', '1.1.0', 'content', false],
    ['a branch', 'gmail', 'old', '1.0.0', 'content', false],
    ['a short sha', 'gmail', 'sha:labels:7', '1.1.0', 'content', false],
    [
      'the revert (a new version with the first content)',
      'gmail',
      'sha:revert',
      '2.0.0',
      'content',
      false,
    ],
    ['the head', 'gmail', 'main', '2.0.0', 'content', false],
    ['a revision between two versions', 'slack', 'sha:labels', '1.0.0', 'content', false],
    ['the deletion', 'slack', 'sha:deleteSlack:8', '1.0.0', 'history', true],
    ['the restore', 'slack', 'sha:restoreSlack', '1.0.1', 'content', false],
  ])('--at %s', async (_what, slug, rev, version, basis, deleted) => {
    // `sha:NAME[:N]`: the fixture's commit NAME, abbreviated to N digits.
    const [, name, digits] = rev.split(':');
    const revision = name
      ? fx.sha[name as keyof AuditFixture['sha']].slice(0, Number(digits ?? 40))
      : rev;
    const shown = await json('show', slug, '--at', revision);
    expect(shown).toMatchObject({ slug, version, at: { revision, basis, deleted } });
    expect(shown.at.sha).toMatch(/^[0-9a-f]{40}$/);
  });

  it('--at in text says how the answer was found', async () => {
    const { code, out } = await cli('show', 'slack', '--at', fx.sha.deleteSlack);
    expect(code).toBe(0);
    expect(out.split('\n')[0]).toBe(
      `slack at ${fx.sha.deleteSlack}: 1.0.0; its manifest is absent there (deleted: the connector was deprecated); 1.0.0 was its last version`,
    );
  });

  it.each([
    [['show', 'nope'], 5, 'no connector has the slug `nope`'],
    [['show', 'gmail@9.9.9'], 5, 'gmail has no version 9.9.9'],
    [
      ['show', 'gmail', '--at', 'no-such-branch'],
      5,
      '--at no-such-branch: no commit, branch or tag',
    ],
    [['show', 'gmail', '--at', '--upload-pack=x'], 2, 'invalid revision'],
    [['show', 'gmail', '--at', 'ROOT'], 5, 'gmail had no version at'],
    [['show', 'gmail@1.0.0', '--at', 'main'], 2, 'give SLUG@VERSION or --at REV, not both'],
  ])('%j exits %i with a clear message', async (args, exit, message) => {
    const { code, err } = await cli(...args.map((a) => (a === 'ROOT' ? fx.sha.root : a)));
    expect(code).toBe(exit);
    expect(err).toContain(message);
  });
});

describe('diff between stored versions', () => {
  it('classifies the changes between SLUG@A and SLUG@B', async () => {
    const { bump, changes } = await json('diff', 'gmail@1.0.0', 'gmail@1.1.0');
    expect(bump).toBe('minor');
    expect(changes.some((c: { path: string }) => c.path.includes('add_label'))).toBe(true);
  });

  it('an unknown stored version is exit 5', async () => {
    const { code, err } = await cli('diff', 'gmail@1.0.0', 'gmail@7.0.0');
    expect(code).toBe(5);
    expect(err).toContain('gmail has no version 7.0.0');
  });
});

describe('after a force push', () => {
  it('marks the lost commit unreachable but keeps its answer', async () => {
    fx.repo.resetHard(fx.sha.first);
    fx.repo.remove('manifests/gmail.json');
    fx.repo.commit('Drop Gmail', { author: BOB, date: new Date(Date.UTC(2026, 0, 9)) });
    expect((await cli('sync')).code).toBe(0);
    const { versions } = await json('history', 'gmail');
    const lost = versions.find((v: { version: string }) => v.version === '1.1.0');
    expect(lost.commit).toMatchObject({ sha: fx.sha.labels, reachable: false });
    const { out } = await cli('history', 'gmail');
    expect(out).toContain(`${fx.sha.labels.slice(0, 10)}!`);
    const shown = await cli('show', 'gmail@1.1.0');
    expect(shown.out).toContain('(no longer on the branch: history was rewritten)');
    // The lost commit is not on the new head's history: the answer at the head is 1.0.0, deleted.
    const at = await json('show', 'gmail', '--at', 'main');
    expect(at).toMatchObject({ version: '1.0.0', at: { deleted: true } });
  });
});
