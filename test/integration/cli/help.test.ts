import { describe, expect, it, vi } from 'vitest';
import packageJson from '../../../package.json' with { type: 'json' };
import { runCli, runCliProcess } from '../../helpers/cli.js';

describe('version, help and completion', () => {
  it.each([['--version'], ['-v'], ['version']])('%s prints the version alone', async (flag) => {
    const result = await runCli([flag]);
    expect(result.stdout).toBe(`${packageJson.version}\n`);
    expect(result.code).toBe(0);
  });

  it("each command's help lists the global options", async () => {
    for (const command of ['status', 'history', 'sync']) {
      const result = await runCli([command, '--help']);
      expect(result.stdout).toContain('Global Options:');
      expect(result.stdout).toContain('--database-url <url>');
      expect(result.stdout).toContain('--json');
    }
  });

  // The completion library prints with console.log, past the injected io: caught here.
  it.each(['bash', 'zsh', 'fish'])(
    'completion %s prints a script that asks the binary',
    async (shell) => {
      const log = vi.spyOn(console, 'log').mockImplementation(() => {});
      try {
        const result = await runCli(['completion', shell]);
        expect(result.code).toBe(0);
        const printed = log.mock.calls.map((call) => String(call[0])).join('\n');
        expect(printed).toContain('manifest-sync');
        expect(printed).toContain('complete');
      } finally {
        log.mockRestore();
      }
    },
  );

  // A process of its own: the script a shell runs reads the candidates from the binary's stdout.

  it('completion candidates come from the command tree; an unknown shell is a usage error', async () => {
    const candidates = await runCliProcess(['complete', '--', 'st']);
    expect(candidates.stdout).toMatch(/^status\t/m);
    expect(candidates.stdout).not.toMatch(/^sync\t/m);
    expect((await runCli(['completion', 'tcsh'])).code).toBe(2);
  });

  it('with --json, a usage error is one JSON object on stderr with its code', async () => {
    const result = await runCli(['statsu', '--json']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    const error = JSON.parse(result.stderr) as { error: { code: string; message: string } };
    expect(error.error.code).toBe('usage');
    expect(error.error.message).toContain('Did you mean status?');
  });
});
