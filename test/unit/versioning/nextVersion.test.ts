import { describe, expect, it } from 'vitest';
import { nextVersion, type VersionVerdict } from '../../../src/versioning/index.js';
import type { Bump, VersionPolicy } from '../../../src/versioning/types.js';

interface Row {
  rule: string;
  latest: string | null;
  file: string | undefined;
  bump: Bump;
  policy: VersionPolicy;
  /** A version string, null for "no new version", or 'refused' for `{ ok: false }`. */
  expected: string | null | 'refused';
  /** Words the reason must contain. */
  mentions?: string[];
}

const auto = 'auto' as const;
const strict = 'strict' as const;

// biome-ignore format: one row per rule reads as a table
const rows: Row[] = [
  // first version
  { rule: 'first version from the file', latest: null, file: '1.2.0', bump: 'major', policy: strict, expected: '1.2.0', mentions: ['first'] },
  { rule: 'first version without one in the file', latest: null, file: undefined, bump: 'none', policy: auto, expected: '1.0.0', mentions: ['first'] },
  { rule: 'first version, a pre-release', latest: null, file: '0.1.0-beta.1', bump: 'minor', policy: auto, expected: '0.1.0-beta.1' },
  // content changed, no version in the file: computed under both policies
  { rule: 'major computed', latest: '1.2.3', file: undefined, bump: 'major', policy: auto, expected: '2.0.0', mentions: ['major', '1.2.3 -> 2.0.0'] },
  { rule: 'minor computed', latest: '1.2.3', file: undefined, bump: 'minor', policy: auto, expected: '1.3.0' },
  { rule: 'patch computed', latest: '1.2.3', file: undefined, bump: 'patch', policy: auto, expected: '1.2.4' },
  { rule: 'computed under strict when the file sets none', latest: '1.2.3', file: undefined, bump: 'major', policy: strict, expected: '2.0.0' },
  // content changed, author's version high enough: kept
  { rule: "author's version exactly as required", latest: '1.2.3', file: '2.0.0', bump: 'major', policy: strict, expected: '2.0.0', mentions: ['satisfies'] },
  { rule: "author's version above the requirement", latest: '1.2.3', file: '3.0.0', bump: 'minor', policy: auto, expected: '3.0.0' },
  { rule: "author's minor for a patch change", latest: '1.2.3', file: '1.3.0', bump: 'patch', policy: strict, expected: '1.3.0' },
  // content changed, author's version above latest but too low
  { rule: 'insufficient, auto raises it', latest: '1.0.0', file: '1.0.1', bump: 'major', policy: auto, expected: '2.0.0', mentions: ['author set 1.0.1', 'major', 'using 2.0.0'] },
  { rule: 'insufficient, strict refuses', latest: '1.0.0', file: '1.0.1', bump: 'major', policy: strict, expected: 'refused', mentions: ['author set 1.0.1', '2.0.0'] },
  { rule: 'patch where minor is needed, auto', latest: '1.4.2', file: '1.4.3', bump: 'minor', policy: auto, expected: '1.5.0' },
  // content changed, author's version not above latest: never backwards
  { rule: 'unchanged version, auto computes', latest: '1.0.0', file: '1.0.0', bump: 'minor', policy: auto, expected: '1.1.0', mentions: ['not above', '1.1.0'] },
  { rule: 'unchanged version, strict refuses', latest: '1.0.0', file: '1.0.0', bump: 'minor', policy: strict, expected: 'refused', mentions: ['1.1.0'] },
  { rule: 'lower version, auto ignores it', latest: '2.1.0', file: '1.0.0', bump: 'patch', policy: auto, expected: '2.1.1', mentions: ['ignored'] },
  { rule: 'lower version, strict refuses', latest: '2.1.0', file: '1.0.0', bump: 'patch', policy: strict, expected: 'refused' },
  // no content change
  { rule: 'explicit release of the same content', latest: '1.0.0', file: '1.1.0', bump: 'none', policy: strict, expected: '1.1.0', mentions: ['same content'] },
  { rule: 'same content, same version', latest: '1.0.0', file: '1.0.0', bump: 'none', policy: auto, expected: null, mentions: ['stays at 1.0.0'] },
  { rule: 'same content, lower version', latest: '1.4.0', file: '1.0.0', bump: 'none', policy: strict, expected: null, mentions: ['ignored'] },
  { rule: 'same content, no version in the file', latest: '1.4.0', file: undefined, bump: 'none', policy: auto, expected: null },
  // pre-releases (semver.inc semantics)
  { rule: 'patch from a pre-release finishes it', latest: '2.0.0-beta.1', file: undefined, bump: 'patch', policy: auto, expected: '2.0.0' },
  { rule: 'major from a pre-release of a major finishes it', latest: '2.0.0-beta.1', file: undefined, bump: 'major', policy: auto, expected: '2.0.0' },
  { rule: 'major from a pre-release of a minor', latest: '2.1.0-beta.1', file: undefined, bump: 'major', policy: auto, expected: '3.0.0' },
  { rule: 'the next pre-release continues the series', latest: '2.0.0-beta.1', file: '2.0.0-beta.2', bump: 'major', policy: strict, expected: '2.0.0-beta.2' },
  { rule: 'a pre-release of the required major counts', latest: '1.4.0', file: '2.0.0-rc.1', bump: 'major', policy: strict, expected: '2.0.0-rc.1' },
  { rule: 'a pre-release of a patch is not a major', latest: '1.4.0', file: '1.4.1-rc.1', bump: 'major', policy: auto, expected: '2.0.0' },
  { rule: 'a release after its pre-release, same content', latest: '2.0.0-rc.1', file: '2.0.0', bump: 'none', policy: auto, expected: '2.0.0' },
  { rule: 'a pre-release below the latest release', latest: '2.0.0', file: '2.0.0-rc.1', bump: 'none', policy: auto, expected: null },
  // not semver
  { rule: 'file version not semver', latest: '1.0.0', file: 'one', bump: 'patch', policy: auto, expected: 'refused', mentions: ['`one`'] },
  { rule: 'first version not semver', latest: null, file: '1.0', bump: 'none', policy: auto, expected: 'refused', mentions: ['`1.0`'] },
  { rule: 'latest not semver', latest: 'x', file: undefined, bump: 'patch', policy: auto, expected: 'refused', mentions: ['`x`'] },
];

describe('nextVersion', () => {
  it.each(rows)('$rule: $latest + $file ($bump, $policy) -> $expected', (row) => {
    const verdict = nextVersion(row.latest, row.file, row.bump, row.policy);
    expect(versionOf(verdict)).toBe(row.expected);
    for (const words of row.mentions ?? []) expect(verdict.reason).toContain(words);
  });

  it('quotes the cause of the bump', () => {
    const cause = 'action `create_deal` removed: existing callers of it would fail';
    const verdict = nextVersion('1.0.0', '1.0.1', 'major', 'auto', cause);
    expect(verdict).toEqual({
      ok: true,
      version: '2.0.0',
      reason: `author set 1.0.1 but a major bump is required (${cause}): using 2.0.0`,
    });
  });
});

function versionOf(verdict: VersionVerdict): string | null {
  return verdict.ok ? verdict.version : 'refused';
}
