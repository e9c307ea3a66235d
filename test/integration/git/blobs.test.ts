import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitError } from '../../../src/errors.js';
import { type GitRepository, openRepository } from '../../../src/git/index.js';
import { createTempRepo, gitChildProcesses, type TempRepo } from '../../helpers/gitRepo.js';

let repo: TempRepo;
let git: GitRepository;

beforeEach(async () => {
  repo = createTempRepo();
  git = await openRepository({ path: repo.path });
});

afterEach(async () => {
  await git.close();
  repo.cleanup();
});

function catFilePids(): number[] {
  return gitChildProcesses()
    .filter((p) => p.args.includes('cat-file'))
    .map((p) => p.pid);
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(condition()).toBe(true);
}

describe('readBlobs', () => {
  it('returns 2,000 blobs from one call, each with its own content', async () => {
    const expected = new Map<string, string>();
    for (let i = 0; i < 2000; i++) {
      repo.write(
        `manifests/c${i}.json`,
        JSON.stringify({ slug: `c${i}`, pad: 'x'.repeat(i % 97) }),
      );
    }
    repo.commit('many');
    const snapshot = await git.readSnapshot({ revision: 'HEAD', dir: 'manifests' });
    expect(snapshot).toHaveLength(2000);
    for (const entry of snapshot) expected.set(entry.oid, entry.path);

    const blobs = await git.readBlobs(snapshot.map((e) => e.oid));
    expect(blobs.size).toBe(2000);
    for (const [oid, path] of expected) {
      const slug = path.slice('manifests/'.length, -'.json'.length);
      expect(JSON.parse(blobs.get(oid) ?? '').slug).toBe(slug);
    }
    expect(catFilePids()).toHaveLength(1); // one long-lived process served them all
  });

  it('skips a blob over the limit unread (size only) and stays in step for the next ones', async () => {
    repo.write('manifests/huge.json', Buffer.alloc(5 * 1024 * 1024, 0x5b)); // 5 MiB of '['
    repo.write('manifests/small.json', '{"a":1}');
    repo.write('manifests/limit.json', 'x'.repeat(1024));
    repo.commit('huge');
    const snapshot = await git.readSnapshot({ revision: 'HEAD', dir: 'manifests' });
    const oid = (name: string) => snapshot.find((e) => e.path === `manifests/${name}`)?.oid ?? '';
    const order = [oid('huge.json'), oid('small.json'), oid('limit.json'), oid('huge.json')];
    const blobs = await git.readBlobsUpTo(order, 1024);
    expect(blobs.get(oid('huge.json'))).toEqual({ text: null, bytes: 5 * 1024 * 1024 });
    expect(blobs.get(oid('small.json'))).toEqual({ text: '{"a":1}', bytes: 7 });
    expect(blobs.get(oid('limit.json'))).toEqual({ text: 'x'.repeat(1024), bytes: 1024 });
    // Read without a limit afterwards, by the same process: the skipped bytes left nothing behind.
    expect((await git.readBlob(oid('huge.json'))).length).toBe(5 * 1024 * 1024);
    expect(catFilePids()).toHaveLength(1);
  });

  it('with a budget, reads a prefix: the first blob always, then until the bytes are spent', async () => {
    const kb = (n: number, fill: string) => fill.repeat(n * 1000);
    repo.write('manifests/a.json', kb(600, 'a'));
    repo.write('manifests/b.json', kb(600, 'b'));
    repo.write('manifests/c.json', 'c');
    repo.write('manifests/huge.json', Buffer.alloc(2 * 1024 * 1024, 0x5b));
    repo.commit('budget');
    const snapshot = await git.readSnapshot({ revision: 'HEAD', dir: 'manifests' });
    const oid = (name: string) => snapshot.find((e) => e.path === `manifests/${name}`)?.oid ?? '';
    const MIB = 1024 * 1024;
    const answer = async (names: string[], budget: number) => {
      const blobs = await git.readBlobsUpTo(names.map(oid), MIB, budget);
      return names.map((name) => {
        const blob = blobs.get(oid(name));
        return blob?.deferred ? `${name}: deferred` : `${name}: ${blob?.text?.length ?? 'unread'}`;
      });
    };
    // b passes the budget: it and everything after it are left unread, even the small c.
    expect(await answer(['a.json', 'b.json', 'c.json'], 1_000_000)).toEqual([
      'a.json: 600000',
      'b.json: deferred',
      'c.json: deferred',
    ]);
    // The first blob is read even past the budget; a blob over the limit spends none of it.
    expect(await answer(['huge.json', 'a.json', 'c.json', 'b.json'], 100)).toEqual([
      'huge.json: unread',
      'a.json: 600000',
      'c.json: deferred',
      'b.json: deferred',
    ]);
    // The reader stays in step: what was deferred is read by the next call.
    expect(await answer(['b.json', 'c.json'], 1_000_000)).toEqual(['b.json: 600000', 'c.json: 1']);
    expect(catFilePids()).toHaveLength(1);
  });

  it('returns a blob larger than the pipe buffer intact, multi-byte characters included', async () => {
    const big = `{"text":"${'é日x'.repeat(60_000)}"}`; // ~ 360 KB of UTF-8
    repo.write('manifests/big.json', big);
    repo.write('manifests/small.json', '{}');
    repo.write('manifests/empty.json', '');
    repo.commit('big');
    const snapshot = await git.readSnapshot({ revision: 'HEAD', dir: 'manifests' });
    const oids = snapshot.map((e) => e.oid);
    const blobs = await git.readBlobs([...oids, ...oids]); // duplicates are answered once
    const byPath = new Map(snapshot.map((e) => [e.path, blobs.get(e.oid)]));
    expect(byPath.get('manifests/big.json')).toBe(big);
    expect(byPath.get('manifests/small.json')).toBe('{}');
    expect(byPath.get('manifests/empty.json')).toBe('');
  });

  it('reads committed content even when the work tree has uncommitted edits', async () => {
    repo.write('manifests/a.json', '{"committed":true}');
    repo.commit('a');
    repo.write('manifests/a.json', '{"committed":false}');
    repo.write('manifests/new.json', '{}');
    const snapshot = await git.readSnapshot({ revision: 'HEAD', dir: 'manifests' });
    expect(snapshot.map((e) => e.path)).toEqual(['manifests/a.json']);
    expect(await git.readBlob(snapshot[0]?.oid ?? '')).toBe('{"committed":true}');
  });

  it('rejects a missing object, a non-blob and a malformed id with GitError, then keeps working', async () => {
    repo.write('manifests/a.json', '{"a":1}');
    const sha = repo.commit('a');
    const [entry] = await git.readSnapshot({ revision: sha, dir: 'manifests' });
    const tree = repo.git('rev-parse', `${sha}^{tree}`);

    await expect(git.readBlob('f'.repeat(40))).rejects.toBeInstanceOf(GitError);
    await expect(git.readBlob(tree)).rejects.toThrow(/not a blob/);
    await expect(git.readBlob('HEAD:manifests/a.json')).rejects.toThrow(/not an object id/);
    await expect(git.readBlobs([entry?.oid ?? '', 'e'.repeat(40)])).rejects.toBeInstanceOf(
      GitError,
    );
    expect(await git.readBlob(entry?.oid ?? '')).toBe('{"a":1}');
  });

  it('rejects requests in flight when cat-file dies, and restarts it on the next call', async () => {
    repo.write('manifests/a.json', '{"a":1}');
    repo.commit('a');
    const [entry] = await git.readSnapshot({ revision: 'HEAD', dir: 'manifests' });
    const oid = entry?.oid ?? '';
    expect(await git.readBlob(oid)).toBe('{"a":1}');
    const [first] = catFilePids();
    expect(first).toBeDefined();

    process.kill(first ?? 0, 'SIGSTOP'); // hold the answer back so the request is surely in flight
    const inFlight = git.readBlob(oid);
    process.kill(first ?? 0, 'SIGKILL');
    await expect(inFlight).rejects.toThrow(/cat-file --batch stopped/);

    expect(await git.readBlob(oid)).toBe('{"a":1}');
    const [second] = catFilePids();
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
  });

  it('close() is safe twice, leaves no git process behind, and later reads reject', async () => {
    repo.write('manifests/a.json', '{}');
    repo.commit('a');
    const [entry] = await git.readSnapshot({ revision: 'HEAD', dir: 'manifests' });
    await git.readBlob(entry?.oid ?? '');
    expect(catFilePids()).toHaveLength(1);
    await Promise.all([git.close(), git.close()]);
    await git.close();
    await until(() => gitChildProcesses().length === 0);
    await expect(git.readBlob(entry?.oid ?? '')).rejects.toThrow(/closed/);
  });
});
