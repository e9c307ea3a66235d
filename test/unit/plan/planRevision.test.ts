import { describe, expect, it } from 'vitest';
import { advanceState } from '../../../src/plan/advanceState.js';
import { missingFiles, planRevision } from '../../../src/plan/planRevision.js';
import {
  buildCommit,
  buildFile,
  buildState,
  counterIds,
  planFiles,
  replayRevisions,
  stateOf,
} from '../../helpers/planBuilder.js';

/** The database after syncing gmail once, at 1.0.0. */
const synced = () => replayRevisions([[buildFile('gmail', { version: undefined })]]).state;

describe('planRevision: one revision against the database state', () => {
  it('a first version creates the connector, its version and the pointer, with the ids given', () => {
    const plan = planFiles([buildFile('gmail', { version: undefined })]);
    expect(plan.newConnectors).toEqual([
      { id: 'id-1', slug: 'gmail', name: 'Gmail', status: 'beta' },
    ]);
    expect(plan.newVersions).toMatchObject([
      {
        id: 'id-2',
        connectorId: 'id-1',
        version: '1.0.0',
        bump: 'none',
        previousVersion: null,
        blobOid: 'blob-gmail',
      },
    ]);
    expect(plan.pointerMoves).toMatchObject([
      { connectorId: 'id-1', slug: 'gmail', versionId: 'id-2' },
    ]);
    expect(plan).toMatchObject({
      revision: 'c'.repeat(40),
      connectorUpdates: [],
      refusals: [],
      resolvedFiles: ['manifests/gmail.json'],
    });
    expect(plan.decisions).toMatchObject([{ action: 'create', from: null, to: '1.0.0' }]);
  });

  it('a bump writes a version on the existing connector and moves its pointer', () => {
    const plan = planFiles(
      [buildFile('gmail', { version: undefined, description: 'Mail.' })],
      synced(),
    );
    expect(plan.newConnectors).toEqual([]);
    expect(plan.newVersions).toMatchObject([
      { connectorId: 'id-1', version: '1.0.1', bump: 'patch', previousVersion: '1.0.0' },
    ]);
    expect(plan.pointerMoves).toMatchObject([
      { connectorId: 'id-1', versionId: plan.newVersions[0]?.id },
    ]);
  });

  it("unchanged content plans nothing but closes the file's old refusals", () => {
    const plan = planFiles([buildFile('gmail', { version: undefined })], synced());
    expect(plan).toMatchObject({
      newConnectors: [],
      newVersions: [],
      pointerMoves: [],
      connectorUpdates: [],
      refusals: [],
    });
    expect(plan.resolvedFiles).toEqual(['manifests/gmail.json']);
    expect(plan.decisions).toMatchObject([{ action: 'unchanged' }]);
  });

  it('a refused manifest is refused by name and the rest of the revision goes on', () => {
    const plan = planFiles([
      buildFile('gmail', '{"name": "Gmail", "slug": "gmail", \u0000'),
      buildFile('slack', { name: 'Slack', version: undefined }),
      buildFile('notion', { slug: 'not-notion' }),
    ]);
    expect(plan.refusals.map((r) => [r.file, r.slug])).toEqual([
      ['manifests/gmail.json', 'gmail'],
      ['manifests/notion.json', 'notion'],
    ]);
    expect(plan.newConnectors.map((c) => c.slug)).toEqual(['slack']);
    expect(plan.newVersions.map((v) => [v.slug, v.version])).toEqual([['slack', '1.0.0']]);
    expect(plan.decisions.map((d) => [d.slug, d.action])).toEqual([
      ['gmail', 'refuse'],
      ['slack', 'create'],
      ['notion', 'refuse'],
    ]);
    // A refusal replaces the file's earlier ones, so every file is resolved.
    expect(plan.resolvedFiles).toHaveLength(3);
  });

  it("a slug that is a user's connector is refused and the connector left alone", () => {
    const plan = planFiles(
      [buildFile('gmail')],
      stateOf(buildState('gmail', { isPlatform: false })),
    );
    expect(plan.refusals).toMatchObject([{ code: 'slug-conflict', slug: 'gmail' }]);
    expect(plan).toMatchObject({
      newConnectors: [],
      newVersions: [],
      pointerMoves: [],
      connectorUpdates: [],
    });
  });

  it.each([
    ['a platform connector', buildState('gmail'), 1],
    ['an already deprecated connector', buildState('gmail', { status: 'deprecated' }), 0],
    ["a user's connector", buildState('gmail', { isPlatform: false }), 0],
    ['an unknown slug', undefined, 0],
  ])(
    'a deletion of %s deprecates only a live platform connector, versions kept',
    (_, state, updates) => {
      const plan = planFiles([buildFile('gmail', null)], state ? stateOf(state) : new Map());
      expect(plan.connectorUpdates).toEqual(
        updates
          ? [{ connectorId: 'c-gmail', slug: 'gmail', name: 'Gmail', status: 'deprecated' }]
          : [],
      );
      expect(plan.decisions.map((d) => d.action)).toEqual(updates ? ['deprecate'] : []);
      expect(plan).toMatchObject({
        newVersions: [],
        pointerMoves: [],
        resolvedFiles: ['manifests/gmail.json'],
      });
    },
  );

  it('a deleted manifest restored with the same content revives the connector, no new version', () => {
    const { plans, state } = replayRevisions([
      [buildFile('gmail', { version: undefined })],
      [buildFile('gmail', null)],
      [buildFile('gmail', { version: undefined })],
    ]);
    expect(plans.map((p) => p.decisions.map((d) => d.action))).toEqual([
      ['create'],
      ['deprecate'],
      ['revive'],
    ]);
    expect(plans[2]?.connectorUpdates).toEqual([
      { connectorId: 'id-1', slug: 'gmail', name: 'Gmail', status: 'beta' },
    ]);
    expect(plans[2]?.newVersions).toEqual([]);
    expect(state.get('gmail')).toMatchObject({ status: 'beta', latest: { version: '1.0.0' } });
  });

  it('a renamed connector (its name) is updated and versioned', () => {
    const plan = planFiles(
      [buildFile('gmail', { version: undefined, name: 'Google Mail' })],
      synced(),
    );
    expect(plan.connectorUpdates).toEqual([
      { connectorId: 'id-1', slug: 'gmail', name: 'Google Mail', status: 'beta' },
    ]);
    expect(plan.newVersions).toMatchObject([{ version: '1.0.1' }]);
  });

  it('a renamed file (its slug) deprecates the old connector and creates the new one at 1.0.0', () => {
    const plan = planFiles(
      [buildFile('gmail', null), buildFile('google-mail', { version: undefined })],
      synced(),
      { newId: counterIds('n') },
    );
    expect(plan.connectorUpdates).toMatchObject([{ slug: 'gmail', status: 'deprecated' }]);
    expect(plan.newConnectors).toMatchObject([{ id: 'n-1', slug: 'google-mail' }]);
    expect(plan.newVersions).toMatchObject([
      { slug: 'google-mail', version: '1.0.0', connectorId: 'n-1' },
    ]);
  });

  it.each([
    ['auto', [], [['gmail', '1.0.1']]],
    ['strict', ['version-policy'], []],
  ] as const)('policy %s with the author behind', (policy, codes, versions) => {
    const plan = planFiles(
      [buildFile('gmail', { version: '0.1.0', description: 'Mail.' })],
      synced(),
      { policy },
    );
    expect(plan.refusals.map((r) => r.code)).toEqual(codes);
    expect(plan.newVersions.map((v) => [v.slug, v.version])).toEqual(versions);
  });
});

describe('advanceState carries the state a plan leaves into the next revision', () => {
  it("create, bump, deprecate, revive, bump: each plan sees the last one's rows", () => {
    const { plans, state } = replayRevisions([
      [buildFile('gmail', { version: undefined })],
      [buildFile('gmail', { version: undefined, description: 'Mail.' })],
      [buildFile('gmail', null)],
      [buildFile('gmail', { version: undefined, description: 'Mail.' })],
      [buildFile('gmail', { version: undefined, description: 'Mail!', status: 'stable' })],
    ]);
    expect(plans.map((p) => p.decisions.map((d) => [d.action, d.to]))).toEqual([
      [['create', '1.0.0']],
      [['version', '1.0.1']],
      [['deprecate', '1.0.1']],
      [['revive', '1.0.1']],
      [['version', '1.0.2']],
    ]);
    // One connector throughout; each version linked to the one before it.
    expect(plans.flatMap((p) => p.newConnectors.map((c) => c.id))).toEqual(['id-1']);
    expect(plans.flatMap((p) => p.newVersions.map((v) => v.previousVersion))).toEqual([
      null,
      '1.0.0',
      '1.0.1',
    ]);
    const gmail = state.get('gmail');
    expect(gmail).toMatchObject({
      id: 'id-1',
      status: 'stable',
      isPlatform: true,
      latest: { version: '1.0.2' },
    });
    expect(gmail?.versions.map((v) => v.version)).toEqual(['1.0.0', '1.0.1', '1.0.2']);
  });

  it('returns a new map and leaves the state it was given untouched', () => {
    const before = synced();
    const copy = structuredClone(before);
    const plan = planFiles(
      [buildFile('gmail', { version: undefined, description: 'Mail.' })],
      before,
    );
    const after = advanceState(before, plan);
    expect(before).toEqual(copy);
    expect(after.get('gmail')?.latest?.version).toBe('1.0.1');
  });

  it('a repoint moves latest onto the existing version', () => {
    const { state } = replayRevisions([
      [buildFile('gmail', { version: undefined })],
      [buildFile('gmail', { version: undefined, description: 'Mail.' })],
    ]);
    const gmail = state.get('gmail');
    if (!gmail?.latest) throw new Error('no gmail');
    const [v1, v2] = gmail.versions;
    const drifted = stateOf({
      ...gmail,
      latest: { ...gmail.latest, id: v1?.id ?? '', version: '1.0.0', hash: v1?.hash ?? null },
    });
    const plan = planFiles(
      [buildFile('gmail', { version: undefined, description: 'Mail.' })],
      drifted,
    );
    expect(plan.pointerMoves).toMatchObject([{ versionId: v2?.id }]);
    expect(advanceState(drifted, plan).get('gmail')?.latest).toMatchObject({
      id: v2?.id,
      version: '1.0.1',
    });
  });
});

describe('missingFiles: the deletions a snapshot implies', () => {
  it('deprecates each platform connector the snapshot lacks, planned as a deleted file', () => {
    const state = stateOf(
      buildState('gmail'),
      buildState('slack'),
      buildState('mine', { isPlatform: false }),
    );
    const plan = planRevision({
      commit: buildCommit(),
      files: missingFiles(['slack', 'mine'], 'manifests'),
      state,
      policy: 'auto',
      newId: counterIds(),
    });
    expect(plan.connectorUpdates).toEqual([
      { connectorId: 'c-slack', slug: 'slack', name: 'Gmail', status: 'deprecated' },
    ]);
    expect(plan.resolvedFiles).toEqual(['manifests/slack.json', 'manifests/mine.json']);
    expect(plan.decisions.map((decision) => decision.action)).toEqual(['deprecate']);
  });

  it('names the file at the root when the folder is the root', () => {
    expect(missingFiles(['gmail'], '')).toEqual([
      { path: 'gmail.json', slug: 'gmail', oid: null, text: null },
    ]);
  });
});
