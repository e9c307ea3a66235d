import { describe, expect, it } from 'vitest';
import { formatHistory } from '../../../src/audit/formatHistory.js';
import { commitLink, escapeHtml, isCommitUrlTemplate } from '../../../src/audit/html.js';
import { subjectOf } from '../../../src/audit/text.js';
import type { ConnectorSummary, VersionRecord } from '../../../src/audit/types.js';

const SHA = 'a'.repeat(40);
const made: VersionRecord = {
  slug: 'gmail',
  version: '1.1.0',
  latest: true,
  createdAt: new Date('2026-01-03T10:00:00Z'),
  bump: 'minor',
  reasons: ['action `add_label` added', 'numbered 1.1.0'],
  contentHash: 'h',
  blobOid: null,
  wheelUrl: null,
  authMode: 'OAUTH2',
  commit: {
    sha: SHA,
    repository: 'r',
    authorName: 'Bob',
    authorEmail: 'bob@example.com',
    authoredAt: new Date('2026-01-03T09:30:00Z'),
    committedAt: new Date('2026-01-03T09:31:00Z'),
    message: 'Add labels\n\nbody',
    reachable: false,
  },
};
const seeded: VersionRecord = {
  ...made,
  version: '0.9.0',
  latest: false,
  commit: null,
  reasons: [],
};
const connector: ConnectorSummary = {
  slug: 'gmail',
  name: 'Gmail',
  status: 'beta',
  isPlatform: true,
  createdAt: new Date(0),
  versionCount: 2,
  latest: made,
};

describe('formatHistory', () => {
  it('prints one aligned line per version, its reasons below, and explains the marks', () => {
    expect(formatHistory(connector, [made, seeded])).toEqual([
      'gmail  Gmail (beta): 2 version(s), latest 1.1.0',
      `  1.1.0 *  ${'a'.repeat(10)}!  2026-01-03 09:30  Bob <bob@example.com>  minor  Add labels`,
      '           - action `add_label` added',
      '           - numbered 1.1.0',
      '  0.9.0    no commit (made before manifest-sync)',
      '  ! the commit is no longer on the branch (history was rewritten)',
    ]);
  });
});

describe('text and HTML helpers', () => {
  it.each([
    ['Subject\n\nbody', 'Subject'],
    ['  only line  ', 'only line'],
    ['', ''],
  ])('subjectOf(%j) is %j', (message, subject) => {
    expect(subjectOf(message)).toBe(subject);
  });

  it('escapes the five HTML specials', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;',
    );
  });

  it('links a sha only through an http(s) template with {sha}', () => {
    expect(isCommitUrlTemplate('https://github.com/o/r/commit/{sha}')).toBe(true);
    expect(isCommitUrlTemplate('javascript:alert(1)/{sha}')).toBe(false);
    expect(isCommitUrlTemplate('https://github.com/o/r/commit/')).toBe(false);
    expect(commitLink(SHA, 'https://h/c/{sha}')).toBe(
      `<a class="commit" href="https://h/c/${SHA}"><code title="${SHA}">${'a'.repeat(10)}</code></a>`,
    );
    expect(commitLink(SHA, null)).toBe(`<code title="${SHA}">${'a'.repeat(10)}</code>`);
  });
});
