import { chmodSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openRepository } from '../../../src/git/index.js';
import type { CommitChanges } from '../../../src/git/types.js';
import { collect, createTempRepo } from '../../helpers/gitRepo.js';

// Random small histories: each commit read through cat-file after its parent (and the whole range
// at once) must read what `git log --raw -M --first-parent` reads over the folder.
const PATHS = [
  'manifests/a.json',
  'manifests/b.json',
  'manifests/c d.json',
  'manifests/é.json',
  'manifests/nested/x.json',
  'manifests/r.txt',
  'other/o.json',
  'top.json',
];
const op = fc.oneof(
  fc.record({
    kind: fc.constant('write' as const),
    path: fc.constantFrom(...PATHS),
    body: fc.constantFrom(
      '{"v":1}',
      '{"v":2}',
      '{"v":3, "long": "enough to be paired as a rename"}',
    ),
  }),
  fc.record({ kind: fc.constant('delete' as const), path: fc.constantFrom(...PATHS) }),
  fc.record({ kind: fc.constant('chmod' as const), path: fc.constantFrom(...PATHS) }),
  fc.record({ kind: fc.constant('dropFolder' as const) }),
);
const history = fc.array(fc.array(op, { minLength: 1, maxLength: 4 }), {
  minLength: 1,
  maxLength: 5,
});

describe('readCommits near the cursor, for any small history', () => {
  it('reads each commit as git log does', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(history, async (steps) => {
        const repo = createTempRepo();
        const git = await openRepository({ path: repo.path });
        try {
          repo.write('README.md', '# registry\n');
          const root = repo.commit('root');
          for (const [i, ops] of steps.entries()) {
            for (const step of ops) {
              const file = step.kind === 'dropFolder' ? '' : join(repo.path, step.path);
              if (step.kind === 'write') repo.write(step.path, step.body);
              else if (step.kind === 'delete' && existsSync(file)) rmSync(file);
              else if (step.kind === 'chmod' && existsSync(file)) chmodSync(file, 0o755);
              else if (step.kind === 'dropFolder')
                rmSync(join(repo.path, 'manifests'), { recursive: true, force: true });
            }
            repo.commit(`step ${i}`);
          }
          for (const dir of ['manifests', '']) {
            const logged = await collect(git.readCommits({ since: null, until: 'HEAD', dir }));
            const alone: CommitChanges[] = [];
            for (const commit of logged.slice(1)) {
              const since = commit.parents[0] as string;
              alone.push(...(await collect(git.readCommits({ since, until: commit.sha, dir }))));
            }
            expect(alone).toEqual(logged.slice(1));
            const range = await collect(git.readCommits({ since: root, until: 'HEAD', dir }));
            expect(range).toEqual(logged.slice(1));
          }
        } finally {
          await git.close();
          repo.cleanup();
        }
      }),
      { numRuns: 20 },
    );
  });
});
