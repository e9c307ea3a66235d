import { describe, expect, it } from 'vitest';
import { advanceState } from '../../../src/plan/advanceState.js';
import { planRevision } from '../../../src/plan/planRevision.js';
import type { ConnectorState, PlanCommit, SyncPlan } from '../../../src/plan/types.js';
import { buildManifest, manifestText } from '../../helpers/manifestBuilder.js';

const A = 'https://wheels.example.com/{slug}/{slug}-{version}-py3-none-any.whl';
const COMMIT: PlanCommit = {
  sha: 'c'.repeat(40),
  authorName: 'A',
  authorEmail: 'a@example.com',
  authoredAt: new Date(0),
  committedAt: new Date(0),
  message: 'm',
};

function plan(manifest: unknown, state: ReadonlyMap<string, ConnectorState> = new Map()): SyncPlan {
  let n = 0;
  return planRevision({
    commit: COMMIT,
    files: [
      { path: 'manifests/gmail.json', slug: 'gmail', oid: 'b', text: manifestText(manifest) },
    ],
    state,
    policy: 'auto',
    newId: () => `id-${++n}`,
  });
}

describe('the plan resolves wheel_url with the version it decides', () => {
  it.each([
    [
      'a first version',
      { version: undefined, wheel_url: A },
      '1.0.0',
      A.replaceAll('{slug}', 'gmail').replace('{version}', '1.0.0'),
    ],
    [
      'an author-set version',
      { version: '2.3.0-rc.1', wheel_url: A },
      '2.3.0-rc.1',
      'https://wheels.example.com/gmail/gmail-2.3.0-rc.1-py3-none-any.whl',
    ],
    [
      'a literal URL',
      { wheel_url: 'https://w.example.com/g.whl' },
      '1.0.0',
      'https://w.example.com/g.whl',
    ],
    ['no wheel', {}, '1.0.0', null],
  ])('%s', (_, overrides, version, wheelUrl) => {
    const [created] = plan(buildManifest(overrides)).newVersions;
    expect(created).toMatchObject({ version, wheelUrl });
    // The stored manifest keeps the template: it is the content, and its hash.
    expect(created?.manifest.wheel_url).toBe((overrides as { wheel_url?: string }).wheel_url);
  });

  it('a dry run over several commits resolves each with its own version', () => {
    const first = plan(buildManifest({ version: undefined }));
    let state = advanceState(new Map(), first);
    const added = plan(buildManifest({ version: undefined, wheel_url: A }), state);
    expect(added.newVersions[0]).toMatchObject({
      version: '1.0.1',
      bump: 'patch',
      wheelUrl: 'https://wheels.example.com/gmail/gmail-1.0.1-py3-none-any.whl',
    });
    state = advanceState(state, added);
    const removed = plan(buildManifest({ version: undefined }), state);
    expect(removed.newVersions[0]).toMatchObject({
      version: '2.0.0',
      bump: 'major',
      wheelUrl: null,
    });
  });

  it('a hand-made latest row with a wheel its manifest does not declare: dropping it is major', () => {
    const manifest = buildManifest({ version: '1.1.0' });
    const state = new Map<string, ConnectorState>([
      [
        'gmail',
        {
          id: 'c1',
          slug: 'gmail',
          name: 'Gmail',
          status: 'beta',
          isPlatform: true,
          latest: {
            id: 'v1',
            version: '1.1.0',
            hash: null,
            manifest,
            blobOid: null,
            wheelUrl: 'https://w.example.com/gmail-1.1.0.whl',
          },
          versions: [{ id: 'v1', version: '1.1.0', hash: null }],
        },
      ],
    ]);
    // The same content: nothing to do, the row untouched.
    expect(plan({ ...manifest, version: undefined }, state).newVersions).toEqual([]);
    const reworded = plan({ ...manifest, version: undefined, description: 'Mail.' }, state);
    expect(reworded.newVersions[0]).toMatchObject({
      version: '2.0.0',
      bump: 'major',
      wheelUrl: null,
    });
    expect(reworded.newVersions[0]?.reasons).toContainEqual(
      expect.stringMatching(
        /^`wheel_url` removed \(was `https:\/\/w\.example\.com\/gmail-1\.1\.0\.whl`\)/,
      ),
    );
    const kept = plan({ ...manifest, version: undefined, wheel_url: A }, state);
    expect(kept.newVersions[0]).toMatchObject({ version: '1.1.1', bump: 'patch' });
  });

  it('a refused wheel_url refuses the manifest by name and plans no version', () => {
    const refused = plan(buildManifest({ wheel_url: 'https://w.example.com/{release}.whl' }));
    expect(refused.newVersions).toEqual([]);
    expect(refused.refusals).toEqual([
      expect.objectContaining({
        file: 'manifests/gmail.json',
        revision: COMMIT.sha,
        pointer: '/wheel_url',
        code: 'url-placeholder',
      }),
    ]);
  });
});
