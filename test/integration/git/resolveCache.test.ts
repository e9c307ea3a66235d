import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type GitRepository, openRepository } from '../../../src/git/index.js';
import { createTempRepo, type TempRepo } from '../../helpers/gitRepo.js';

let repo: TempRepo;
let git: GitRepository;

beforeEach(async () => {
  repo = createTempRepo();
  repo.write('manifests/a.json', '{"a":1}');
  repo.commit('first');
  git = await openRepository({ path: repo.path });
});

afterEach(async () => {
  await git.close();
  repo.cleanup();
});

describe('remembered commits', () => {
  it('still answers from git once a remembered commit was pruned (force push, then gc)', async () => {
    repo.write('manifests/a.json', '{"a":2}');
    const dropped = repo.commit('second');
    expect(await git.isAncestor(dropped, 'main')).toBe(true); // now remembered
    repo.resetHard('HEAD~1');
    repo.git('reflog', 'expire', '--expire=now', '--all');
    repo.git('gc', '--quiet', '--prune=now');
    expect(await git.resolveRevision(dropped)).toBeNull();
    expect(await git.isAncestor(dropped, 'main')).toBe(false);
  }, 30_000);

  it('answers isAncestor and rootCommit the same the second time', async () => {
    const root = repo.revParse();
    repo.write('manifests/a.json', '{"a":2}');
    const head = repo.commit('second');
    for (let i = 0; i < 2; i++) {
      expect(await git.isAncestor(root, head)).toBe(true);
      expect(await git.isAncestor(head, root)).toBe(false);
      expect(await git.rootCommit(head)).toBe(root);
      expect(await git.resolveRevision(head)).toBe(head);
    }
  });
});
