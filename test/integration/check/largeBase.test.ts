import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GitRepository, openRepository } from '../../../src/git/index.js';
import { checkRevisions } from '../../../src/sync/checkRevisions.js';
import { SLICE_BYTES } from '../../../src/sync/planSlices.js';
import { createTempRepo, type TempRepo } from '../../helpers/gitRepo.js';
import { buildManifest, largeManifestText, manifestText } from '../../helpers/manifestBuilder.js';

const LARGE = 20;

let repo: TempRepo;
let repository: GitRepository;
let base: string;
const config = { path: 'manifests', versionPolicy: 'auto' as const };

beforeAll(async () => {
  repo = createTempRepo();
  for (let i = 0; i < LARGE; i++)
    repo.write(`manifests/large-${i}.json`, largeManifestText(`large-${i}`, 1_000_000));
  repo.write('manifests/gmail.json', manifestText(buildManifest()));
  base = repo.commit('twenty large manifests and gmail');
  for (let i = 0; i < LARGE; i++) repo.remove(`manifests/large-${i}.json`);
  repo.commit('delete the large ones');
  repository = await openRepository({ path: repo.path });
}, 120_000);
afterAll(async () => {
  await repository.close();
  repo.cleanup();
});

/**
 * The repository, observed: each call reading blobs records the length of the texts it read.
 * Every call goes to the real repository, unchanged.
 */
function observed(): { repository: GitRepository; reads: number[] } {
  const reads: number[] = [];
  const proxy = new Proxy(repository, {
    get(target, key) {
      const value = Reflect.get(target, key, target);
      if (typeof value !== 'function') return value;
      if (key !== 'readBlobsUpTo') return value.bind(target);
      return async (...args: Parameters<GitRepository['readBlobsUpTo']>) => {
        const blobs = await target.readBlobsUpTo(...args);
        let length = 0;
        for (const blob of blobs.values()) length += blob.text?.length ?? 0;
        reads.push(length);
        return blobs;
      };
    },
  });
  return { repository: proxy, reads };
}

describe('check: a change deleting many large manifests reads their base versions 16 MiB at a time', () => {
  for (const perCommit of [false, true]) {
    it(perCommit ? 'per commit' : 'squashed', async () => {
      const { repository: watched, reads } = observed();
      const report = await checkRevisions({ repository: watched, config }, { base, perCommit });
      expect(report.entries.map((entry) => `${entry.change} ${entry.action}`)).toEqual(
        Array.from({ length: LARGE }, () => 'deleted deprecate'),
      );
      expect(report.entries.map((entry) => entry.slug).sort()).toEqual(
        Array.from({ length: LARGE }, (_, i) => `large-${i}`).sort(),
      );
      // 16 of ~1 MB, then the last 4: never the twenty at once.
      expect(reads.filter((length) => length > 0)).toEqual([
        expect.any(Number),
        expect.any(Number),
      ]);
      for (const length of reads) expect(length).toBeLessThanOrEqual(SLICE_BYTES);
    });
  }
});
