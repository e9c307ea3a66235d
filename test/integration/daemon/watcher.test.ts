import { mkdirSync, mkdtempSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type RefWatch, watchRefs } from '../../../src/daemon/watcher.js';
import { ConfigError } from '../../../src/errors.js';
import { createTempRepo, type TempRepo } from '../../helpers/gitRepo.js';

/** Writes a file the way git does: `<name>.lock`, then rename over the real name. */
function writeLikeGit(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(`${path}.lock`, content);
  renameSync(`${path}.lock`, path);
}

/** A git-dir layout with no git in it: the watcher only looks at files. */
function fakeGitDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'manifest-sync-watch-'));
  mkdirSync(join(dir, 'refs', 'heads'), { recursive: true });
  mkdirSync(join(dir, 'objects', 'ab'), { recursive: true });
  writeFileSync(join(dir, 'HEAD'), 'ref: refs/heads/main\n');
  writeFileSync(join(dir, 'refs', 'heads', 'main'), `${'a'.repeat(40)}\n`);
  return dir;
}

const within = { timeout: 5_000, interval: 5 };
const quiet = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('watchRefs', () => {
  let gitDir: string;
  let watch: RefWatch | undefined;
  let calls = 0;

  const start = async (branch = 'main') => {
    watch = watchRefs({ gitDir, branch, onChange: () => calls++ });
    await watch.ready;
  };

  beforeEach(() => {
    gitDir = fakeGitDir();
    calls = 0;
  });
  afterEach(async () => {
    await watch?.close();
    watch = undefined;
    rmSync(gitDir, { recursive: true, force: true });
  });

  it('nudges when the branch ref is replaced by rename', async () => {
    await start();
    writeLikeGit(join(gitDir, 'refs', 'heads', 'main'), `${'b'.repeat(40)}\n`);
    await vi.waitFor(() => expect(calls).toBeGreaterThanOrEqual(1), within);
  });

  it("nudges once for one move: chokidar's later event for the same rename adds no second pass", async () => {
    await start();
    writeLikeGit(join(gitDir, 'refs', 'heads', 'main'), `${'b'.repeat(40)}\n`);
    await vi.waitFor(() => expect(calls).toBeGreaterThanOrEqual(1), within);
    await quiet(500);
    expect(calls).toBe(1);
  });

  it('nudges again for a second move soon after the first', async () => {
    await start();
    writeLikeGit(join(gitDir, 'refs', 'heads', 'main'), `${'b'.repeat(40)}\n`);
    await vi.waitFor(() => expect(calls).toBeGreaterThanOrEqual(1), within);
    const after = calls;
    writeLikeGit(join(gitDir, 'refs', 'heads', 'main'), `${'c'.repeat(40)}\n`);
    await vi.waitFor(() => expect(calls).toBeGreaterThan(after), within);
  });

  it('nudges when packed-refs is created, replaced, and when the loose ref is pruned', async () => {
    await start();
    writeLikeGit(join(gitDir, 'packed-refs'), '# pack-refs with: peeled fully-peeled sorted\n');
    await vi.waitFor(() => expect(calls).toBeGreaterThanOrEqual(1), within);
    let seen = calls;
    writeLikeGit(join(gitDir, 'packed-refs'), `${'d'.repeat(40)} refs/heads/main\n`);
    await vi.waitFor(() => expect(calls).toBeGreaterThan(seen), within);
    seen = calls;
    unlinkSync(join(gitDir, 'refs', 'heads', 'main'));
    await vi.waitFor(() => expect(calls).toBeGreaterThan(seen), within);
  });

  it('does not nudge for a checkout: HEAD is not the tracked branch', async () => {
    await start();
    writeLikeGit(join(gitDir, 'HEAD'), 'ref: refs/heads/other\n');
    await quiet(300);
    expect(calls).toBe(0);
  });

  it('follows a branch with slashes whose folder does not exist yet', async () => {
    await start('release/2024/q3');
    writeLikeGit(join(gitDir, 'refs', 'heads', 'release', '2024', 'q3'), `${'e'.repeat(40)}\n`);
    await vi.waitFor(() => expect(calls).toBeGreaterThanOrEqual(1), within);
    const seen = calls;
    writeLikeGit(join(gitDir, 'refs', 'heads', 'release', '2024', 'q3'), `${'f'.repeat(40)}\n`);
    await vi.waitFor(() => expect(calls).toBeGreaterThan(seen), within);
  });

  it('ignores other branches, objects, the index and lock files', async () => {
    await start();
    writeLikeGit(join(gitDir, 'refs', 'heads', 'dev'), `${'1'.repeat(40)}\n`);
    writeLikeGit(join(gitDir, 'refs', 'heads', 'feature', 'x'), `${'2'.repeat(40)}\n`);
    writeFileSync(join(gitDir, 'objects', 'ab', 'cdef'), 'blob');
    writeFileSync(join(gitDir, 'index'), 'index');
    writeFileSync(join(gitDir, 'FETCH_HEAD'), 'fetched');
    writeFileSync(join(gitDir, 'refs', 'heads', 'main.lock'), 'half-written');
    await quiet(300);
    expect(calls).toBe(0);
  });

  it('debounces a burst of writes into fewer calls', async () => {
    await start();
    for (let i = 0; i < 20; i++) {
      writeLikeGit(join(gitDir, 'refs', 'heads', 'main'), `${String(i % 10).repeat(40)}\n`);
    }
    await vi.waitFor(() => expect(calls).toBeGreaterThanOrEqual(1), within);
    await quiet(200);
    expect(calls).toBeLessThan(20);
  });

  it('stops calling after close()', async () => {
    await start();
    await watch?.close();
    writeLikeGit(join(gitDir, 'refs', 'heads', 'main'), `${'9'.repeat(40)}\n`);
    await quiet(200);
    expect(calls).toBe(0);
  });

  it('refuses branch names that would leave refs/heads', () => {
    for (const branch of ['../config', 'a//b', '', 'x/./y', 'main.lock']) {
      expect(() => watchRefs({ gitDir, branch, onChange: () => {} })).toThrow(ConfigError);
    }
  });
});

describe('watchRefs on a real repository', () => {
  let repo: TempRepo;
  let watch: RefWatch | undefined;
  beforeEach(() => {
    repo = createTempRepo();
    repo.write('manifests/a.json', '{}');
    repo.commit('first');
  });
  afterEach(async () => {
    await watch?.close();
    repo.cleanup();
  });

  it('sees a commit and a pack-refs, and not a read-only git command', async () => {
    let calls = 0;
    watch = watchRefs({ gitDir: join(repo.path, '.git'), branch: 'main', onChange: () => calls++ });
    await watch.ready;
    repo.git('log', '--oneline');
    repo.revParse('main');
    await quiet(200);
    expect(calls).toBe(0);
    repo.write('manifests/b.json', '{}');
    repo.commit('second');
    await vi.waitFor(() => expect(calls).toBeGreaterThanOrEqual(1), within);
    const seen = calls;
    repo.git('pack-refs', '--all');
    await vi.waitFor(() => expect(calls).toBeGreaterThan(seen), within);
  });
});
