import { describe, expect, it } from 'vitest';
import { hashManifest } from '../../../src/manifest/index.js';
import { planManifest } from '../../../src/plan/planManifest.js';
import type { ConnectorState } from '../../../src/plan/types.js';
import type { VersionPolicy } from '../../../src/versioning/types.js';
import { buildManifest, manifestText } from '../../helpers/manifestBuilder.js';

const stored = buildManifest({ version: '1.0.9' });
const state: ConnectorState = {
  id: 'c1',
  slug: 'gmail',
  name: 'Gmail',
  status: 'beta',
  isPlatform: true,
  latest: {
    id: 'v1',
    version: '1.0.9',
    hash: hashManifest(stored),
    manifest: stored,
    blobOid: null,
    wheelUrl: null,
  },
  versions: [{ id: 'v1', version: '1.0.9', hash: hashManifest(stored) }],
};

const plan = (overrides: Record<string, unknown>, policy: VersionPolicy = 'auto') =>
  planManifest(
    {
      path: 'manifests/gmail.json',
      slug: 'gmail',
      oid: 'b1',
      text: manifestText(buildManifest(overrides)),
    },
    state,
    'c0ffee',
    policy,
  );

// biome-ignore format: one row per case reads as a table
const rows: { name: string; overrides: Record<string, unknown>; version: string }[] = [
  { name: 'a stale 1.0.0 and a patch change', overrides: { version: '1.0.0', description: 'New words.' }, version: '1.0.10' },
  { name: 'a stale 1.0.0 and a major change', overrides: { version: '1.0.0', actions: {} }, version: '2.0.0' },
  { name: 'a too-low 1.0.10 and a major change', overrides: { version: '1.0.10', actions: {} }, version: '2.0.0' },
  { name: 'no version and a minor change', overrides: { version: undefined, category: 'Mail', actions: { ...buildManifest().actions, other: buildManifest().actions.send_email } }, version: '1.1.0' },
];

describe('the reasons of a new version say each thing once', () => {
  it.each(rows)('$name', ({ overrides, version }) => {
    const outcome = plan(overrides);
    if (outcome.kind !== 'accepted' || !outcome.version) throw new Error('expected a new version');
    expect(outcome.version.version).toBe(version);
    const { reasons } = outcome.version;
    expect(reasons.length).toBeGreaterThan(1);
    // The numbering reason (last) quotes none of the change reasons before it.
    const numbering = reasons.at(-1) ?? '';
    for (const change of reasons.slice(0, -1)) expect(numbering).not.toContain(change);
    expect(new Set(reasons).size).toBe(reasons.length);
  });

  it('a refusal under strict still says which change needs the bump', () => {
    const outcome = plan({ version: '1.0.0', actions: {} }, 'strict');
    expect(outcome.kind).toBe('refused');
    expect(outcome.decision.reasons[0]).toMatch(/send_email.*removed.*set 2\.0\.0 or higher/);
  });
});
