import { describe, expect, it } from 'vitest';
import {
  type ConnectorLineage,
  rewindState,
  type VersionAt,
} from '../../../src/plan/rewindState.js';

/** History newest first: c3 is the revision rewound to; c4 came after it. */
const history = ['c3', 'c2', 'c1'];
const at = (present: boolean) => ({
  position: (sha: string) => (history.includes(sha) ? history.indexOf(sha) : undefined),
  present: () => present,
});

const version = (id: string, v: string, commitSha: string | null, status = 'beta'): VersionAt => ({
  id,
  version: v,
  hash: `h-${id}`,
  blobOid: null,
  wheelUrl: null,
  commitSha,
  manifest: { name: `Name ${v}`, status, version: v },
});

const lineage = (
  versions: VersionAt[],
  overrides: Partial<ConnectorLineage> = {},
): ConnectorLineage => ({
  id: 'c',
  slug: 'gmail',
  name: 'Now',
  status: 'stable',
  isPlatform: true,
  latestVersionId: versions.at(-1)?.id ?? null,
  versions,
  ...overrides,
});

describe('rewindState', () => {
  const cases: {
    name: string;
    lineage: ConnectorLineage;
    present?: boolean;
    expected: { latest: string | null; versions: string[]; status: string; name: string } | null;
  }[] = [
    {
      name: 'drops versions made after the revision; the newest kept is latest',
      lineage: lineage([
        version('a', '1.0.0', 'c1'),
        version('b', '1.1.0', 'c2'),
        version('c', '2.0.0', 'c4'),
      ]),
      expected: {
        latest: '1.1.0',
        versions: ['1.0.0', '1.1.0'],
        status: 'beta',
        name: 'Name 1.1.0',
      },
    },
    {
      name: 'a connector whose every version came later did not exist',
      lineage: lineage([version('c', '2.0.0', 'c4')]),
      expected: null,
    },
    {
      name: 'deprecated where the revision has no file for it',
      lineage: lineage([version('a', '1.0.0', 'c1')]),
      present: false,
      expected: { latest: '1.0.0', versions: ['1.0.0'], status: 'deprecated', name: 'Name 1.0.0' },
    },
    {
      name: 'versions made by hand (no commit) are older than any commit and always kept',
      lineage: lineage([
        version('h', '3.0.0', null),
        version('a', '3.0.1', 'c2'),
        version('z', '4.0.0', 'c9'),
      ]),
      expected: {
        latest: '3.0.1',
        versions: ['3.0.0', '3.0.1'],
        status: 'beta',
        name: 'Name 3.0.1',
      },
    },
    {
      name: 'only hand-made versions: the row as it is now',
      lineage: lineage([version('h', '3.0.0', null)]),
      present: false,
      expected: { latest: '3.0.0', versions: ['3.0.0'], status: 'stable', name: 'Now' },
    },
    {
      name: "someone else's connector is never rewound",
      lineage: lineage([version('u', '1.0.0', null), version('v', '9.0.0', 'c9')], {
        isPlatform: false,
        latestVersionId: 'u',
      }),
      expected: { latest: '1.0.0', versions: ['1.0.0', '9.0.0'], status: 'stable', name: 'Now' },
    },
    {
      name: 'a manifest without a string name or status keeps the row (hostile stored JSON)',
      lineage: lineage([{ ...version('a', '1.0.0', 'c1'), manifest: { name: 7, status: null } }]),
      expected: { latest: '1.0.0', versions: ['1.0.0'], status: 'stable', name: 'Now' },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const state = rewindState(c.lineage, at(c.present ?? true));
      if (c.expected === null) return expect(state).toBeNull();
      expect(state).toMatchObject({
        latest: c.expected.latest === null ? null : { version: c.expected.latest },
        status: c.expected.status,
        name: c.expected.name,
      });
      expect(state?.versions.map((v) => v.version)).toEqual(c.expected.versions);
    });
  }
});
