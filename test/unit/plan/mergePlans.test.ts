import { describe, expect, it } from 'vitest';
import { mergePlans } from '../../../src/plan/mergePlans.js';
import { buildFile, replayRevisions } from '../../helpers/planBuilder.js';

const sha = (i: number) => i.toString(16).padStart(40, '0');

describe('mergePlans: a batch of commits written as one', () => {
  it('keeps each version with its own commit, and one provenance row per commit that made one', () => {
    const { plans } = replayRevisions([
      [buildFile('gmail', { version: undefined })],
      [buildFile('gmail', { description: 'Second.' }), buildFile('slack')],
      [buildFile('broken', 'not json')],
    ]);
    const write = mergePlans(plans);
    expect(write.newVersions.map((v) => [v.slug, v.version, v.commitSha])).toEqual([
      ['gmail', '1.0.0', sha(0)],
      ['gmail', '1.0.1', sha(1)],
      ['slack', '1.0.0', sha(1)],
    ]);
    expect(write.commits.map((c) => c.sha)).toEqual([sha(0), sha(1)]);
    expect(write.newConnectors.map((c) => c.slug)).toEqual(['gmail', 'slack']);
  });

  it('leaves each pointer on the last version moved to, and each connector as the last commit left it', () => {
    const { plans } = replayRevisions([
      [buildFile('gmail', { version: undefined })],
      [buildFile('gmail', { description: 'Second.' })],
      [buildFile('gmail', null)],
    ]);
    const write = mergePlans(plans);
    const last = write.newVersions.at(-1);
    expect(write.pointerMoves).toEqual([{ connectorId: last?.connectorId, versionId: last?.id }]);
    expect(write.connectorUpdates).toEqual([
      { connectorId: last?.connectorId, name: 'Gmail', status: 'deprecated' },
    ]);
  });

  it('closes a refusal by the first later commit that closes its file, and older ones by the first at all', () => {
    const { plans } = replayRevisions([
      [buildFile('broken', 'not json')],
      [buildFile('gmail')],
      [buildFile('broken', 'still not json')],
      [buildFile('broken', { name: 'Broken' })],
    ]);
    const write = mergePlans(plans);
    expect(write.refusals.map((r) => [r.file, r.commitSha, r.resolvedBy])).toEqual([
      ['manifests/broken.json', sha(0), sha(2)],
      ['manifests/broken.json', sha(2), sha(3)],
    ]);
    // Refusals open before the batch: closed by the first commit that touched the file.
    expect(write.resolutions).toEqual([
      { file: 'manifests/broken.json', sha: sha(0) },
      { file: 'manifests/gmail.json', sha: sha(1) },
    ]);
  });

  it('merges nothing into nothing', () => {
    expect(mergePlans([])).toEqual({
      commits: [],
      newConnectors: [],
      newVersions: [],
      pointerMoves: [],
      connectorUpdates: [],
      resolutions: [],
      refusals: [],
    });
  });
});
