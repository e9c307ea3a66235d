import { execFileSync, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CLI_BIN } from '../../helpers/builtCli.js';
import { createTestDatabase } from '../../helpers/testDatabase.js';
import { Cleanup, commitManifest, createManifestRepo, readMetric } from './harness.js';

const cleanup = new Cleanup();
afterEach(() => cleanup.run());

const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const CHILD = fileURLToPath(new URL('./exhaustChild.ts', import.meta.url));

describe('out of file descriptors', () => {
  it('git that cannot start is a GitError, never a crash; it works again once descriptors are free', {
    timeout: 60_000,
  }, () => {
    const repo = createManifestRepo(cleanup);
    commitManifest(repo, 'gmail');
    const oid = repo.git('rev-parse', 'HEAD:manifests/gmail.json');
    // Descriptors are exhausted inside the child, so its own start-up is not at stake.
    const output = execFileSync(
      'bash',
      [
        '-c',
        'ulimit -n 1024; exec "$0" --import "$1" "$2" "$3" "$4"',
        process.execPath,
        TSX,
        CHILD,
        repo.path,
        oid,
      ],
      { encoding: 'utf8' },
    );
    const outcomes = JSON.parse(output) as string[];
    expect(outcomes.slice(0, 4)).toEqual([
      // Revisions and blobs go through the long-lived cat-file, started when the repository opened.
      'ok',
      'ok',
      // A new git process cannot start: a history read, or opening the repository again.
      expect.stringMatching(/^GitError: git log could not start/),
      expect.stringMatching(/^GitError: git rev-parse could not start/),
    ]);
    expect(outcomes[4]).toMatch(/^recovered: \{/);
  });

  it('the daemon starts and applies under ulimit -n 256 (the built binary; globalSetup builds it)', {
    timeout: 300_000,
  }, async () => {
    const repo = createManifestRepo(cleanup);
    commitManifest(repo, 'gmail');
    const testDb = await createTestDatabase();
    cleanup.defer(() => testDb.drop());
    const database = testDb.url ? ['--database-url', testDb.url] : [];
    const child = spawn(
      'bash',
      [
        '-c',
        'ulimit -n 256; exec "$0" "$@"',
        process.execPath,
        CLI_BIN,
        'daemon',
        '--repo',
        repo.path,
        '--data-dir',
        testDb.dataDir,
        ...database,
        '--http-port',
        '0',
        '--log-level',
        'info',
      ],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
        env: { PATH: process.env.PATH, HOME: process.env.HOME },
      },
    );
    const closed = new Promise((resolve) => child.on('close', resolve));
    cleanup.defer(async () => {
      child.kill('SIGKILL');
      await closed;
    });
    let logs = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      logs += chunk;
    });
    const url = await vi.waitFor(
      () => {
        expect(child.exitCode, logs).toBeNull();
        const match = /"url":"(http:[^"]+)","database"/.exec(logs);
        if (!match) throw new Error('not started yet');
        return match[1] as string;
      },
      { timeout: 200_000, interval: 100 },
    );
    await vi.waitFor(
      async () => {
        expect(await readMetric(url, 'manifest_sync_versions_created_total')).toBe(1);
      },
      { timeout: 60_000, interval: 200 },
    );
    expect(logs).not.toMatch(/EMFILE/);
  });
});
