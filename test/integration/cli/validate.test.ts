import { spawnSync } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI_BIN } from '../../helpers/builtCli.js';
import { runCli } from '../../helpers/cli.js';
import { createTempRepo } from '../../helpers/gitRepo.js';
import { buildManifest, manifestText } from '../../helpers/manifestBuilder.js';

const repo = createTempRepo();
afterAll(() => repo.cleanup());

describe('manifest-sync validate', () => {
  it('checks the manifest directory by default, and absolute or relative paths alike', async () => {
    repo.write('manifests/gmail.json', manifestText(buildManifest()));
    repo.write(
      'manifests/slack.json',
      manifestText(buildManifest({ slug: 'slack', name: 'Slack' })),
    );
    const byDefault = await runCli(['validate'], { cwd: repo.path });
    expect(byDefault.stdout.trim()).toBe('2 manifests valid');
    expect(byDefault.code).toBe(0);
    const absolute = await runCli(['validate', join(repo.path, 'manifests/gmail.json')], {
      cwd: repo.path,
    });
    expect(absolute.stdout.trim()).toBe('1 manifest valid');
    expect((await runCli(['validate', 'manifests'], { cwd: repo.path })).code).toBe(0);
  });

  it('prints every problem with file, line, column and pointer, and exits 1', async () => {
    repo.write(
      'manifests/bad.json',
      '{\n  "name": "Bad",\n  "name": "Twice",\n  "slug": "bad"\n}\n',
    );
    repo.write('manifests/wrong-slug.json', manifestText(buildManifest({ slug: 'other' })));
    symlinkSync(join(repo.path, 'manifests/gmail.json'), join(repo.path, 'manifests/linked.json'));
    const result = await runCli(['validate'], { cwd: repo.path });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /manifests\/bad\.json:3:3: \/name: .*duplicate.*\[duplicate-key\]/i,
    );
    expect(result.stdout).toMatch(
      /manifests\/wrong-slug\.json:\d+:\d+: \/slug: .*\[slug-mismatch\]/,
    );
    expect(result.stdout).toMatch(/manifests\/linked\.json: \/: is a symbolic link.*\[symlink\]/);
    const json = JSON.parse((await runCli(['validate', '--json'], { cwd: repo.path })).stdout) as {
      ok: boolean;
      problems: { file: string; code: string }[];
    };
    expect(json.ok).toBe(false);
    expect(new Set(json.problems.map((p) => p.code))).toEqual(
      new Set(['duplicate-key', 'missing-key', 'slug-mismatch', 'symlink']),
    );
  });

  it('names a missing path exactly as it was given', async () => {
    const result = await runCli(['validate', '/nope-manifest-sync', 'missing.json'], {
      cwd: repo.path,
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('/nope-manifest-sync: /: /nope-manifest-sync does not exist');
    expect(result.stdout).toContain('missing.json: /: missing.json does not exist');
    expect(result.stdout).not.toContain('../');
  });
});

describe('manifest-sync validate on a large folder', () => {
  it('reads 1,500 manifests a few at a time: no EMFILE under ulimit -n 256 (the built binary)', () => {
    const big = createTempRepo();
    try {
      for (let i = 0; i < 1_500; i++) {
        const slug = `bulk-${i}`;
        big.write(`manifests/${slug}.json`, manifestText(buildManifest({ slug })));
      }
      // All at once, the read opened every file together: EMFILE, exit 70, with a stack.
      const result = spawnSync(
        'bash',
        ['-c', 'ulimit -n 256; exec "$0" "$@"', process.execPath, CLI_BIN, 'validate', 'manifests'],
        { cwd: big.path, encoding: 'utf8' },
      );
      expect(result.stderr).toBe('');
      expect(result.stdout.trim()).toBe('1500 manifests valid');
      expect(result.status).toBe(0);
    } finally {
      big.cleanup();
    }
  }, 120_000);
});
