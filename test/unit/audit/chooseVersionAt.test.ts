import { describe, expect, it } from 'vitest';
import { chooseVersionAt, type ManifestAtRevision } from '../../../src/audit/chooseVersionAt.js';
import { orderNewestFirst } from '../../../src/audit/orderVersions.js';
import type { VersionRecord } from '../../../src/audit/types.js';

/** A version made at `sha` (null: before manifest-sync) with content `hash`. */
function version(v: string, sha: string | null, hash: string | null, minute = 0): VersionRecord {
  return {
    slug: 'gmail',
    version: v,
    latest: false,
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, minute)),
    bump: null,
    reasons: [],
    contentHash: hash,
    blobOid: null,
    wheelUrl: null,
    authMode: 'OAUTH2',
    commit: sha
      ? {
          sha,
          repository: 'r',
          authorName: 'A',
          authorEmail: 'a@example.com',
          authoredAt: new Date(0),
          committedAt: new Date(0),
          message: sha,
          reachable: true,
        }
      : null,
  };
}

// History c1 <- c2 <- c3 <- c4 (newest last); a side commit x is on no revision's history.
const HISTORY = [
  version('0.9.0', null, 'h0'),
  version('1.0.0', 'c1', 'h1', 1),
  version('1.1.0', 'c2', 'h2', 2),
  version('2.0.0', 'x', 'h3', 3),
];
const upTo = (n: number) => ['c4', 'c3', 'c2', 'c1'].slice(4 - n);
// upTo(0) is no commit at all: only rows made before manifest-sync can have been live.
const present = (hash: string | null): ManifestAtRevision => ({ present: true, hash });

describe('chooseVersionAt', () => {
  it.each([
    [
      'the newest on the history, unconfirmed without the manifest',
      upTo(2),
      undefined,
      '1.1.0',
      'history',
      false,
    ],
    [
      'the newest on the history, confirmed by its content',
      upTo(3),
      present('h2'),
      '1.1.0',
      'content',
    ],
    [
      'the newest, not an older version with the same content',
      upTo(4),
      present('h1'),
      '1.1.0',
      'history',
    ],
    [
      'a version made before manifest-sync when nothing on the history is newer',
      upTo(0),
      present('h0'),
      '0.9.0',
      'content',
    ],
    ['the newest when the manifest is invalid', upTo(4), present(null), '1.1.0', 'history'],
    [
      'the last version, deleted, when the manifest is gone',
      upTo(4),
      { present: false },
      '1.1.0',
      'history',
      true,
    ],
    ['not a side commit, even with matching content', upTo(4), present('h3'), '1.1.0', 'history'],
  ] as const)('picks %s', (_what, revisions, manifest, expected, basis, deleted = false) => {
    const at = chooseVersionAt({ history: HISTORY, revisions, ...(manifest ? { manifest } : {}) });
    expect(at).toMatchObject({ found: true, basis, deleted, version: { version: expected } });
  });

  it('finds nothing when no version was made on the history', () => {
    const at = chooseVersionAt({ history: HISTORY.slice(1), revisions: ['c0'] });
    expect(at.found).toBe(false);
  });

  it('goes by the commit nearest the revision, not by creation time or number', () => {
    // Replayed out of order (a resync after a rewrite): the nearer commit's version wins.
    const history = [version('3.0.0', 'c1', 'h', 9), version('1.0.1', 'c3', 'h', 1)];
    const at = chooseVersionAt({ history, revisions: upTo(4), manifest: present('h') });
    expect(at).toMatchObject({ found: true, basis: 'content', version: { version: '1.0.1' } });
  });
});

describe('orderNewestFirst', () => {
  it('orders by creation time, then by higher semver (not text) within the same instant', () => {
    const rows = [
      version('1.9.0', null, null, 5),
      version('1.10.0', null, null, 5),
      version('2.0.0', null, null, 1),
      version('3.0.0', null, null, 7),
    ];
    expect(orderNewestFirst(rows).map((r) => r.version)).toEqual([
      '3.0.0',
      '1.10.0',
      '1.9.0',
      '2.0.0',
    ]);
  });
});
