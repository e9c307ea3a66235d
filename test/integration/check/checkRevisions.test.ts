import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GitRepository, openRepository } from '../../../src/git/index.js';
import { checkRevisions } from '../../../src/sync/checkRevisions.js';
import { buildManifest, manifestText } from '../../helpers/manifestBuilder.js';
import { BAD_STATUS_AT, type CheckRepo, createCheckRepo } from './fixture.js';

let fixture: CheckRepo;
let repository: GitRepository;
const config = { path: 'manifests', versionPolicy: 'auto' as const };

beforeAll(async () => {
  fixture = createCheckRepo();
  repository = await openRepository({ path: fixture.repo.path });
});
afterAll(async () => {
  await repository.close();
  fixture.repo.cleanup();
});

const summary = (entries: Awaited<ReturnType<typeof checkRevisions>>['entries']) =>
  entries.map((e) => [e.slug, e.change, e.action, e.from, e.to, e.bump]);

describe('checkRevisions: squashed', () => {
  it('reports every connector whose manifest differs, with the planner’s bump and version', async () => {
    const report = await checkRevisions({ repository, config }, { base: fixture.base });
    expect(report.mode).toBe('squashed');
    expect(report.versionsFrom).toBe('base');
    expect(report.head).toBe(fixture.head);
    expect(report.commits).toBe(2);
    expect(summary(report.entries)).toEqual([
      ['bad', 'added', 'refuse', null, null, 'none'],
      ['gmail', 'changed', 'version', '1.0.0', '2.0.0', 'major'],
      ['hubspot', 'deleted', 'deprecate', '1.0.0', '1.0.0', 'none'],
      ['hubspot-crm', 'renamed', 'create', null, '1.0.0', 'none'],
      ['slack', 'changed', 'version', '1.0.0', '1.0.1', 'patch'],
    ]);
    expect(report.bump).toBe('major');
    const gmail = report.entries.find((e) => e.slug === 'gmail');
    // Squashed: one action added and one removed, both reasons, the highest bump wins.
    expect(gmail?.reasons.join('\n')).toMatch(/send_email.*removed/);
    expect(gmail?.reasons.join('\n')).toMatch(/list_labels.*added/);
    expect(report.entries.find((e) => e.slug === 'hubspot-crm')?.renamedFrom).toBe(
      'manifests/hubspot.json',
    );
  });

  it('gives every refusal its file, JSON pointer, line and column; the rest is still planned', async () => {
    const report = await checkRevisions({ repository, config }, { base: fixture.base });
    const status = report.refusals.find((r) => r.pointer === '/status');
    expect(status).toMatchObject({ file: 'manifests/bad.json', ...BAD_STATUS_AT });
    expect(report.entries.find((e) => e.slug === 'bad')?.refusals).toContainEqual(status);
    expect(report.entries.filter((e) => e.action === 'version')).toHaveLength(2);
  });

  it('an equal base and head is an empty report, not an error', async () => {
    const report = await checkRevisions(
      { repository, config },
      { base: fixture.head, head: fixture.head },
    );
    expect(report).toMatchObject({ entries: [], refusals: [], bump: 'none', commits: 0 });
  });

  it('numbers from the base manifest’s own version', async () => {
    const report = await checkRevisions(
      { repository, config },
      { base: fixture.minorCommit, head: fixture.head },
    );
    // The base's file still says 1.0.0 (sync would have stored 1.1.0: --database-url knows that).
    expect(summary(report.entries).find((e) => e[0] === 'gmail')).toEqual([
      'gmail',
      'changed',
      'version',
      '1.0.0',
      '2.0.0',
      'major',
    ]);
  });
});

describe('checkRevisions: per commit', () => {
  it('plans each commit in turn, each from the state the previous one left', async () => {
    const report = await checkRevisions(
      { repository, config },
      { base: fixture.base, perCommit: true },
    );
    expect(report.mode).toBe('per-commit');
    expect(report.commits).toBe(2);
    const gmail = report.entries.filter((e) => e.slug === 'gmail');
    expect(gmail.map((e) => [e.revision, e.from, e.to, e.bump])).toEqual([
      [fixture.minorCommit, '1.0.0', '1.1.0', 'minor'],
      [fixture.head, '1.1.0', '2.0.0', 'major'],
    ]);
    const slack = report.entries.filter((e) => e.slug === 'slack');
    expect(slack.map((e) => e.to)).toEqual(['1.0.1', '1.0.2']);
  });
});

describe('checkRevisions: hostile files', () => {
  it('refuses each by name (truncated JSON, a __proto__ slug, a newline in the name); the rest goes on', async () => {
    const { repo } = fixture;
    repo.checkout('feature');
    repo.git('checkout', '-q', '-b', 'hostile');
    repo.write('manifests/__proto__.json', '{"__proto__": {"polluted": true}, "name": ');
    repo.write('manifests/a,b\n:c.json', '[1, 2');
    repo.write('manifests/nested/deep.json', '{}');
    repo.write(
      'manifests/zoom.json',
      manifestText(buildManifest({ slug: 'zoom', name: 'Zoom', version: undefined })),
    );
    const hostile = repo.commit('hostile files');
    const report = await checkRevisions(
      { repository, config },
      { base: fixture.head, head: hostile },
    );
    expect(report.entries.map((e) => [e.slug, e.change, e.action])).toEqual([
      ['__proto__', 'added', 'refuse'],
      ['a,b\n:c', 'added', 'refuse'],
      ['zoom', 'added', 'create'],
    ]);
    expect(report.entries.at(-1)?.to).toBe('1.0.0');
    expect(new Set(report.refusals.map((r) => r.file))).toEqual(
      new Set(['manifests/__proto__.json', 'manifests/a,b\n:c.json']),
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    repo.checkout('feature');
  });
});

describe('checkRevisions: rules added to the version engine flow in', () => {
  it('wheel_url (issue 21): added is a patch, and an unchanged template is no change', async () => {
    const { repo } = fixture;
    repo.git('checkout', '-q', '-b', 'wheels', fixture.base);
    const wheel = 'https://wheels.example.com/{slug}-{version}.whl';
    repo.write('manifests/gmail.json', manifestText(buildManifest({ wheel_url: wheel })));
    const added = repo.commit('gmail: a wheel');
    repo.write(
      'manifests/gmail.json',
      manifestText(buildManifest({ wheel_url: wheel, description: 'Mail.' })),
    );
    const described = repo.commit('gmail: description');
    repo.checkout('feature');
    const first = await checkRevisions({ repository, config }, { base: fixture.base, head: added });
    expect(first.entries.map((e) => [e.slug, e.bump, e.to])).toEqual([['gmail', 'patch', '1.0.1']]);
    expect(first.entries[0]?.reasons.join('\n')).toMatch(/wheel_url/);
    const second = await checkRevisions({ repository, config }, { base: added, head: described });
    expect(second.entries[0]?.reasons.join('\n')).not.toMatch(/wheel_url/);
    expect(second.entries[0]?.bump).toBe('patch');
  });
});

describe('checkRevisions: bad revisions', () => {
  it('an unknown base or head is named', async () => {
    await expect(
      checkRevisions({ repository, config }, { base: 'no-such-branch' }),
    ).rejects.toMatchObject({ name: 'NotFoundError', message: /--base no-such-branch/ });
    await expect(
      checkRevisions({ repository, config }, { base: fixture.base, head: '--output=x' }),
    ).rejects.toMatchObject({ name: 'NotFoundError', message: /--head --output=x/ });
  });

  it('a base that is not an ancestor of the head says to use the fork point', async () => {
    await expect(checkRevisions({ repository, config }, { base: 'main' })).rejects.toMatchObject({
      name: 'NotAncestorError',
      message: /merge-base main HEAD/,
    });
  });
});
