import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { staleBuild } from '../../helpers/builtCli.js';
import { createTempRepo } from '../../helpers/gitRepo.js';
import { buildManifest, manifestText } from '../../helpers/manifestBuilder.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'manifest-sync-pack-'));
const repo = createTempRepo();
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  repo.cleanup();
});

/**
 * How this machine reaches the registry: its CA bundle and proxies. `npm install --prefix` reads
 * the prefix's own global npmrc, not the machine's (where `cafile` may be set), so without these
 * every fetch fails on the certificate and npm retries it for minutes.
 */
const NETWORK = Object.fromEntries(
  Object.entries(process.env).filter(([name]) =>
    /^(NODE_EXTRA_CA_CERTS|SSL_CERT_FILE|SSL_CERT_DIR|https?_proxy|no_proxy|npm_config_(cafile|registry|proxy|https_proxy))$/i.test(
      name,
    ),
  ),
);

/** Runs a command to the end (four minutes at most); its output on failure, so a broken install says why. */
function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    // No terminal to ask anything on: an install must never wait for an answer.
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...NETWORK, ...env },
    // spawnSync blocks the worker, so the test's own timeout cannot fire: this one does.
    timeout: 240_000,
  });
  const stderr = result.error ? `${result.error.message}\n${result.stderr}` : result.stderr;
  return { code: result.status, stdout: result.stdout, stderr };
}

// The same steps as the Dockerfile's: build, pack, install the packed file globally, run the binary.
// The build is globalSetup's (test/helpers/builtCli.ts): dist/ is rebuilt before any file runs when
// it is behind src/, not here while other files spawn the binary from it.
describe('the packed package, installed anywhere', () => {
  it('installs from `npm pack` into an empty prefix and runs from an empty directory', async () => {
    expect(await staleBuild()).toBeNull();
    const packed = JSON.parse(
      execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], {
        cwd: ROOT,
        encoding: 'utf8',
      }),
    ) as { filename: string; files: { path: string }[] }[];
    const tarball = join(work, packed[0]?.filename ?? '');
    const files = packed[0]?.files.map((f) => f.path) ?? [];
    expect(files).toContain('dist/cli/main.js');
    expect(files).toContain('migrations/0001_platform_schema.sql');
    expect(files.some((f) => f.startsWith('src/') || f.startsWith('test/'))).toBe(false);

    const prefix = join(work, 'prefix');
    const install = run(
      'npm',
      [
        'install',
        '-g',
        '--prefix',
        prefix,
        '--omit=dev',
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        tarball,
      ],
      work,
    );
    expect(install.code, install.stderr).toBe(0);
    const bin = join(prefix, 'bin', 'manifest-sync');

    const empty = mkdtempSync(join(work, 'empty-'));
    const version = run(bin, ['--version'], empty);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);

    // A repository of its own, synced into the embedded store with the installed copy alone.
    repo.write('manifests/gmail.json', manifestText(buildManifest()));
    repo.commit('gmail');
    expect(run(bin, ['validate'], repo.path).stdout.trim()).toBe('1 manifest valid');
    const sync = run(bin, ['sync'], repo.path);
    expect(sync.code, sync.stderr).toBe(0);
    expect(sync.stdout).toContain('created 1 connector(s) and 1 version(s)');
    expect(readdirSync(empty)).toEqual([]);
  }, 300_000);
});
