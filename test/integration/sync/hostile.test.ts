import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildManifest, largeManifestText, manifestText } from '../../helpers/manifestBuilder.js';
import { createSyncHarness, type SyncHarness } from './harness.js';

let h: SyncHarness;
beforeEach(async () => {
  h = await createSyncHarness();
});
afterEach(async () => {
  await h.close();
});

const gmail = buildManifest();
const slack = buildManifest({ slug: 'slack', name: 'Slack' });

/** 1 MiB of arrays nested 250 deep, cut short: the costliest text for a JSON parser to refuse. */
function nestedMalformed(): string {
  const unit = `${'['.repeat(250)}${']'.repeat(250)},`;
  return `[${unit.repeat(Math.floor((1024 * 1024 - 8) / unit.length))}[[[`;
}

interface HostileCase {
  name: string;
  /** Text of manifests/hubspot.json, the hostile file. */
  text: () => string;
  code: string;
  pointer: string;
}

const hubspot = buildManifest({ slug: 'hubspot', name: 'HubSpot' });
const CASES: HostileCase[] = [
  {
    name: 'a NUL in a string',
    text: () => manifestText({ ...hubspot, description: 'nul \u0000 here' }),
    code: 'unstorable-text',
    pointer: '/description',
  },
  {
    name: 'a NUL in a key',
    text: () => manifestText({ ...hubspot, 'x-a\u0000b': 1 }),
    code: 'unstorable-text',
    pointer: '/x-a\\u0000b',
  },
  {
    name: 'an unpaired surrogate in a string',
    text: () => manifestText({ ...hubspot, name: 'half \ud800 of a pair' }),
    code: 'unstorable-text',
    pointer: '/name',
  },
  {
    name: 'an unpaired surrogate in a key',
    text: () => manifestText({ ...hubspot, 'x-\udc00': true }),
    code: 'unstorable-text',
    pointer: '/x-\\udc00',
  },
  {
    name: 'a number beyond a double',
    text: () => manifestText(hubspot).replace('{', '{"x-big": 1e400,'),
    code: 'unstorable-number',
    pointer: '/x-big',
  },
  {
    name: 'a version that cannot be bumped',
    text: () => manifestText({ ...hubspot, version: '9007199254740991.0.0' }),
    code: 'unbumpable-version',
    pointer: '/version',
  },
  {
    name: 'a file over the size limit (never read)',
    text: () => manifestText({ ...hubspot, 'x-pad': 'p'.repeat(2 * 1024 * 1024) }),
    code: 'too-large',
    pointer: '',
  },
  {
    name: '1 MiB of malformed, deeply nested arrays',
    text: nestedMalformed,
    code: 'truncated-json',
    pointer: '/2092/0/0/0',
  },
];

describe('a hostile file is refused by name; the rest of its commit and the next commits apply', () => {
  it.each(CASES)('$name', { timeout: 120_000 }, async ({ text, code, pointer }) => {
    h.writeManifest(gmail);
    h.repo.write('manifests/hubspot.json', text());
    const bad = h.commit('gmail and a hostile hubspot');
    const first = await h.sync();
    expect(first.refusals.map((r) => [r.file, r.code])).toEqual([['manifests/hubspot.json', code]]);
    expect(first.refusals[0]?.pointer).toBe(pointer);
    expect((await h.versions('gmail')).map((v) => v.version)).toEqual(['1.0.0']);
    expect(await h.connector('hubspot')).toBeUndefined();
    const refusals = await h.query<{ commit_sha: string; code: string; pointer: string }>(
      'SELECT commit_sha, code, pointer FROM sync_refusal',
    );
    expect(refusals).toEqual([{ commit_sha: bad, code, pointer }]);

    h.writeManifest(slack);
    const next = h.commit('slack');
    const second = await h.sync();
    expect(second.refusals).toEqual([]);
    expect((await h.versions('slack')).map((v) => [v.version, v.commit_sha])).toEqual([
      ['1.0.0', next],
    ]);
    expect((await h.status()).cursor).toBe(next);
  });

  it('a hostile file whose connector exists keeps it at its last good version; the CLI exits 1, not 70', {
    timeout: 60_000,
  }, async () => {
    h.writeManifest(hubspot);
    h.commit('hubspot');
    await h.sync();
    h.repo.write('manifests/hubspot.json', manifestText({ ...hubspot, name: 'NUL\u0000' }));
    h.writeManifest(slack);
    h.commit('a NUL in hubspot, and slack');
    const sync = await h.cli('sync');
    expect(sync.code).toBe(1);
    expect(sync.stdout).toContain('unstorable-text');
    const versions = await h.versions('hubspot');
    expect(versions.map((v) => [v.version, v.is_latest, v.manifest.name])).toEqual([
      ['1.0.0', true, 'HubSpot'],
    ]);
    expect((await h.versions('slack')).map((v) => v.version)).toEqual(['1.0.0']);
  });

  it('forty malformed 1 MiB files in one commit are all refused and the good one applies', {
    timeout: 300_000,
  }, async () => {
    const text = nestedMalformed();
    for (let i = 0; i < 40; i++) h.repo.write(`manifests/bad-${i}.json`, text);
    h.writeManifest(gmail);
    h.commit('forty malformed files');
    const report = await h.sync();
    expect(report.refusals).toHaveLength(40);
    expect(new Set(report.refusals.map((r) => r.code))).toEqual(new Set(['truncated-json']));
    expect((await h.versions('gmail')).map((v) => v.version)).toEqual(['1.0.0']);
  });
});

describe('manifests near the size limit', () => {
  it('twenty in one commit all apply, read in slices of at most 16 MiB (16, then 4)', {
    timeout: 300_000,
  }, async () => {
    const sizes: number[] = [];
    for (let i = 0; i < 20; i++) {
      const text = largeManifestText(`big-${i}`, 1_000_000);
      sizes.push(Buffer.byteLength(text));
      h.repo.write(`manifests/big-${i}.json`, text);
    }
    expect(Math.min(...sizes)).toBeGreaterThan(990_000);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(1_000_000);
    const sha = h.commit('twenty large manifests');
    const report = await h.sync();
    expect(report.refusals).toEqual([]);
    expect(report.versionsCreated).toBe(20);
    const rows = await h.query<{ slug: string; bytes: number }>(`
      SELECT c.slug, octet_length(v.manifest::text) AS bytes
      FROM connectorversion v JOIN connector c ON c.id = v.connector_id
      WHERE v.commit_sha = '${sha}' AND c.latest_version_id = v.id ORDER BY c.slug`);
    expect(rows).toHaveLength(20);
    // Stored as JSONB: without the file's indentation, about half of its bytes.
    for (const row of rows) expect(row.bytes).toBeGreaterThan(500_000);
  });
});

describe('commit metadata git accepts but no database stores', () => {
  /** Writes a commit object by hand: git's own porcelain refuses such dates, its object store does not. */
  function commitWithDates(author: string, committer: string): string {
    const tree = h.repo.git('write-tree');
    const parent = h.repo.revParse();
    const body = `tree ${tree}\nparent ${parent}\nauthor Mallory <m@example.com> ${author} +0000\ncommitter Mallory <m@example.com> ${committer} +0000\n\nfar future\n`;
    const file = join(h.repo.path, '.git', 'hostile-commit');
    writeFileSync(file, body);
    const sha = h.repo.git('hash-object', '--literally', '-t', 'commit', '-w', file);
    h.repo.git('update-ref', 'refs/heads/main', sha);
    h.repo.git('reset', '-q', '--hard', sha);
    return sha;
  }

  it.each([
    [
      'author beyond year 9999',
      '99999999999999',
      '1700000000',
      '2023-11-14T22:13:20.000Z',
      '2023-11-14T22:13:20.000Z',
    ],
    [
      'both beyond year 9999',
      '253402300800',
      '99999999999999',
      '9999-12-31T23:59:59.000Z',
      '9999-12-31T23:59:59.000Z',
    ],
    [
      'committer past 2^64',
      '1700000000',
      '999999999999999999999999',
      '2023-11-14T22:13:20.000Z',
      '2023-11-14T22:13:20.000Z',
    ],
    [
      'author unreadable (negative)',
      '-5',
      '1700000000',
      '2023-11-14T22:13:20.000Z',
      '2023-11-14T22:13:20.000Z',
    ],
  ])(
    '%s: the commit applies with a fallback time',
    { timeout: 60_000 },
    async (_name, author, committer, authored, committed) => {
      h.writeManifest(gmail);
      h.repo.git('add', '-A');
      const sha = commitWithDates(author, committer);
      const report = await h.sync();
      expect(report.refusals).toEqual([]);
      expect((await h.versions('gmail')).map((v) => [v.version, v.commit_sha])).toEqual([
        ['1.0.0', sha],
      ]);
      const [row] = await h.query<{ authored_at: Date; committed_at: Date }>(
        `SELECT authored_at, committed_at FROM sync_commit WHERE sha = '${sha}'`,
      );
      expect(row?.authored_at.toISOString()).toBe(authored);
      expect(row?.committed_at.toISOString()).toBe(committed);
    },
  );
});
