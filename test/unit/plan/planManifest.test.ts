import { describe, expect, it } from 'vitest';
import { planManifest } from '../../../src/plan/planManifest.js';
import type { ConnectorState, ManifestFile } from '../../../src/plan/types.js';
import type { VersionPolicy } from '../../../src/versioning/types.js';
import { buildAction, buildManifest } from '../../helpers/manifestBuilder.js';
import { buildFile, buildState, replayRevisions } from '../../helpers/planBuilder.js';

const SHA = 'd'.repeat(40);
const BASE = buildManifest();
/** The example with a second action: removing one of two is a breaking change. */
const TWO_ACTIONS = { actions: { ...BASE.actions, list_labels: buildAction({ name: 'Labels' }) } };

/** gmail as the database holds it after syncing `manifest` once (at `version`, or 1.0.0). */
function stored(manifest: Record<string, unknown> = { version: undefined }): ConnectorState {
  const { state } = replayRevisions([[buildFile('gmail', manifest)]]);
  const gmail = state.get('gmail');
  if (!gmail) throw new Error('the first revision planned no gmail');
  return gmail;
}

function plan(
  manifest: Record<string, unknown> | string,
  state: ConnectorState | undefined,
  policy: VersionPolicy = 'auto',
) {
  const file = buildFile('gmail', manifest) as ManifestFile & { text: string };
  return planManifest(file, state, SHA, policy);
}

describe('planManifest numbers a new version from the changes and the author', () => {
  it.each<
    [string, Record<string, unknown>, ConnectorState | undefined, VersionPolicy, string, string]
  >([
    [
      'first version, none in the file',
      { version: undefined },
      undefined,
      'auto',
      'create',
      '1.0.0',
    ],
    [
      'first version, as the file sets',
      { version: '0.3.0' },
      undefined,
      'strict',
      'create',
      '0.3.0',
    ],
    [
      'a reworded description is a patch',
      { version: undefined, description: 'Mail.' },
      stored(),
      'auto',
      'version',
      '1.0.1',
    ],
    [
      'an added action is a minor',
      { version: undefined, ...TWO_ACTIONS },
      stored(),
      'auto',
      'version',
      '1.1.0',
    ],
    [
      'a removed action is a major',
      { version: undefined },
      stored({ version: undefined, ...TWO_ACTIONS }),
      'auto',
      'version',
      '2.0.0',
    ],
    [
      'the author ahead: kept',
      { version: '4.2.0', description: 'Mail.' },
      stored(),
      'strict',
      'version',
      '4.2.0',
    ],
    [
      'the author ahead on the same content: an explicit release',
      { version: '1.5.0' },
      stored(),
      'strict',
      'version',
      '1.5.0',
    ],
    [
      'the author behind, auto: raised',
      { version: '0.9.0', description: 'Mail.' },
      stored(),
      'auto',
      'version',
      '1.0.1',
    ],
    [
      'the author ahead but short of the bump, auto: raised',
      { version: '1.0.1' },
      stored({ version: undefined, ...TWO_ACTIONS }),
      'auto',
      'version',
      '2.0.0',
    ],
    [
      'a pre-release of the needed major counts',
      { version: '2.0.0-beta.1' },
      stored({ version: undefined, ...TWO_ACTIONS }),
      'strict',
      'version',
      '2.0.0-beta.1',
    ],
    [
      'numbered past the highest stored version, not the pointer',
      { version: undefined, description: 'Mail.' },
      { ...stored(), versions: [...stored().versions, { id: 'v9', version: '3.1.4', hash: null }] },
      'auto',
      'version',
      '3.1.5',
    ],
  ])('%s', (_, manifest, state, policy, action, version) => {
    const outcome = plan(manifest, state, policy);
    expect(outcome.kind).toBe('accepted');
    if (outcome.kind !== 'accepted') return;
    expect(outcome.decision).toMatchObject({ action, to: version, slug: 'gmail' });
    expect(outcome.version).toMatchObject({
      slug: 'gmail',
      version,
      previousVersion: state?.latest?.version ?? null,
    });
    // The stored manifest carries the decided version; the reasons say why.
    expect(outcome.version?.manifest.version).toBe(version);
    expect(outcome.version?.reasons.at(-1)).toBe(outcome.decision.reasons.at(-1));
  });

  it.each<[string, Record<string, unknown>]>([
    ['the same content', { version: undefined }],
    ['the same content at the same version', { version: '1.0.0' }],
    ['the same content, the author behind', { version: '0.1.0' }],
  ])('%s: nothing to write', (_, manifest) => {
    const outcome = plan(manifest, stored(), 'strict');
    expect(outcome).toMatchObject({ kind: 'accepted', version: null, repointTo: null });
    expect(outcome.decision).toMatchObject({
      action: 'unchanged',
      from: '1.0.0',
      to: '1.0.0',
      bump: 'none',
    });
  });
});

describe('planManifest refuses by name', () => {
  it.each<
    [
      string,
      Record<string, unknown> | string,
      ConnectorState | undefined,
      VersionPolicy,
      string,
      string,
    ]
  >([
    ['not JSON', '{"name": ', undefined, 'auto', 'truncated-json', ''],
    [
      'a slug that is not the file name',
      { slug: 'outlook' },
      undefined,
      'auto',
      'slug-mismatch',
      '/slug',
    ],
    [
      'a version that is not semver',
      { version: 'one' },
      undefined,
      'auto',
      'invalid-value',
      '/version',
    ],
    [
      'the author behind, strict',
      { version: '0.9.0', description: 'Mail.' },
      stored(),
      'strict',
      'version-policy',
      '/version',
    ],
    [
      'the author short of the bump, strict',
      { version: '1.0.1' },
      stored({ version: undefined, ...TWO_ACTIONS }),
      'strict',
      'version-policy',
      '/version',
    ],
    [
      "a slug that is a user's connector",
      {},
      buildState('gmail', { isPlatform: false }),
      'auto',
      'slug-conflict',
      '/slug',
    ],
  ])('%s', (_, manifest, state, policy, code, pointer) => {
    const outcome = plan(manifest, state, policy);
    expect(outcome.kind).toBe('refused');
    if (outcome.kind !== 'refused') return;
    expect(outcome.refusals[0]).toMatchObject({
      file: 'manifests/gmail.json',
      revision: SHA,
      slug: 'gmail',
      code,
    });
    if (pointer) expect(outcome.refusals[0]?.pointer).toBe(pointer);
    // Every refusal, the parser's or the planner's, is located in the file (issue 18).
    expect(outcome.refusals[0]?.line).toBeGreaterThan(0);
    expect(outcome.refusals[0]?.column).toBeGreaterThan(0);
    expect(outcome.decision).toMatchObject({ action: 'refuse', to: null, bump: 'none' });
    expect(outcome.decision.reasons.length).toBeGreaterThan(0);
  });
});

/** The 1-based line and column where `"key":` is written in a text (first occurrence). */
function keyAt(text: string, key: string): { line: number; column: number } {
  const before = text.slice(0, text.indexOf(`"${key}":`));
  const lines = before.split('\n');
  return { line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 };
}

describe("the planner's own refusals carry the line and column of their pointer", () => {
  it.each<[string, Record<string, unknown>, ConnectorState, string, string]>([
    ['version-policy', { version: '0.9.0', description: 'Mail.' }, stored(), 'version', '/version'],
    ['slug-conflict', {}, buildState('gmail', { isPlatform: false }), 'slug', '/slug'],
  ])('%s: at the key', (code, manifest, state, key, pointer) => {
    const text = buildFile('gmail', manifest).text as string;
    const outcome = plan(manifest, state, 'strict');
    if (outcome.kind !== 'refused') throw new Error(`planned ${outcome.kind}`);
    expect(outcome.refusals).toEqual([
      expect.objectContaining({ code, pointer, ...keyAt(text, key) }),
    ]);
    expect(keyAt(text, key).line).toBeGreaterThan(1);
  });

  it('a version refusal without `version` in the file points at the document, line 1', () => {
    // A stored version that is not semver (written by hand): no next version can be numbered.
    const good = stored();
    const state: ConnectorState = {
      ...good,
      latest: good.latest && { ...good.latest, version: 'one' },
      versions: good.versions.map((v) => ({ ...v, version: 'one' })),
    };
    const outcome = plan({ version: undefined, description: 'Mail.' }, state, 'strict');
    if (outcome.kind !== 'refused') throw new Error(`planned ${outcome.kind}`);
    expect(outcome.refusals[0]).toMatchObject({
      code: 'version-policy',
      pointer: '',
      line: 1,
      column: 1,
    });
  });
});

describe('planManifest repairs a moved pointer and never reuses a version', () => {
  const two = replayRevisions([
    [buildFile('gmail', { version: undefined })],
    [buildFile('gmail', { version: undefined, description: 'Mail.' })],
  ]).state.get('gmail') as ConnectorState;
  const [v1, v2] = two.versions;

  it('content of the newest version with the pointer moved off it: points back', () => {
    const drifted = {
      ...two,
      latest: {
        ...(two.latest as NonNullable<ConnectorState['latest']>),
        id: v1?.id ?? '',
        version: '1.0.0',
        hash: v1?.hash ?? null,
      },
    };
    const outcome = plan({ version: undefined, description: 'Mail.' }, drifted);
    expect(outcome).toMatchObject({ kind: 'accepted', version: null, repointTo: v2?.id });
    expect(outcome.decision).toMatchObject({ action: 'repoint', from: '1.0.0', to: '1.0.1' });
  });

  it('content of an older version: a revert is a new version', () => {
    const outcome = plan({ version: undefined }, two);
    expect(outcome).toMatchObject({ kind: 'accepted', repointTo: null });
    expect(outcome.decision).toMatchObject({ action: 'version', from: '1.0.1', to: '1.0.2' });
  });

  it('versions without a pointer (made by hand): the least bump past them', () => {
    const outcome = plan({ version: undefined, description: 'Other.' }, { ...two, latest: null });
    expect(outcome.decision).toMatchObject({
      action: 'version',
      from: null,
      to: '1.0.2',
      bump: 'patch',
    });
  });
});
