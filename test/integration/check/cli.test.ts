import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ExitCode } from '../../../src/cli/exitCodes.js';
import { runCli } from '../../helpers/cli.js';
import { BAD_STATUS_AT, type CheckRepo, createCheckRepo } from './fixture.js';

// Each test runs the CLI a few times (in this process; each run on the embedded store opens it anew).
vi.setConfig({ testTimeout: 120_000 });

let fixture: CheckRepo;
let scratch: string;
beforeAll(() => {
  fixture = createCheckRepo();
  scratch = mkdtempSync(join(tmpdir(), 'manifest-sync-check-'));
});
afterAll(() => {
  fixture.repo.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

const check = (args: string[], cwd = fixture.repo.path, env: NodeJS.ProcessEnv = {}) =>
  runCli(['check', ...args], { cwd, env });

/** Every file under `dir` with its size and modification time: what "nothing written" compares. */
function listing(dir: string): string[] {
  const out: string[] = [];
  const walk = (path: string) => {
    for (const name of readdirSync(path)) {
      const full = join(path, name);
      const info = statSync(full);
      if (info.isDirectory()) walk(full);
      else out.push(`${full} ${info.size} ${info.mtimeMs}`);
    }
  };
  walk(dir);
  return out.sort();
}

describe('manifest-sync check', () => {
  it('prints the squashed plan as JSON in its documented shape, writes nothing, exits 1 on a refusal', async () => {
    const dataDir = join(scratch, 'never-created');
    const before = listing(fixture.repo.path);
    const result = await check(['--base', fixture.base, '--json'], fixture.repo.path, {
      MANIFEST_SYNC_DATA_DIR: dataDir,
    });
    expect(result.code).toBe(ExitCode.problems);
    const output = JSON.parse(result.stdout);
    expect(Object.keys(output).sort()).toEqual(
      [
        'schemaVersion',
        'base',
        'head',
        'mode',
        'versionsFrom',
        'commits',
        'entries',
        'refusals',
        'bump',
        'summary',
        'gate',
      ].sort(),
    );
    expect(output).toMatchObject({
      schemaVersion: 1,
      base: fixture.base,
      head: fixture.head,
      mode: 'squashed',
      versionsFrom: 'base',
      bump: 'major',
      summary: { connectors: 5, refused: 1, bumps: { major: 1, minor: 0, patch: 1, none: 3 } },
      gate: { failOn: null, tripped: false },
    });
    expect(Object.keys(output.entries[0]).sort()).toEqual(
      [
        'revision',
        'slug',
        'file',
        'change',
        'renamedFrom',
        'action',
        'from',
        'to',
        'bump',
        'reasons',
        'refusals',
      ].sort(),
    );
    expect(output.refusals).toContainEqual(
      expect.objectContaining({ file: 'manifests/bad.json', pointer: '/status', ...BAD_STATUS_AT }),
    );
    // No database, no embedded store, no data directory; the repository (and .git) untouched.
    expect(existsSync(dataDir)).toBe(false);
    expect(existsSync(join(fixture.repo.path, '.manifest-sync'))).toBe(false);
    expect(listing(fixture.repo.path)).toEqual(before);
  });

  it('--format github puts each refusal on the diff at its line and column', async () => {
    const result = await check(['--base', fixture.base, '--format', 'github']);
    expect(result.code).toBe(ExitCode.problems);
    expect(result.stdout).toContain(
      `::error file=manifests/bad.json,line=${BAD_STATUS_AT.line},col=${BAD_STATUS_AT.column},title=manifest refused [invalid-value]::/status: `,
    );
    expect(result.stdout).toMatch(
      /^::notice file=manifests\/gmail\.json,title=gmail%3A version 1\.0\.0 → 2\.0\.0 \(major\)::/m,
    );
  });

  it('--format markdown is a table for a pull-request comment; text says squashed or per commit', async () => {
    const markdown = await check(['--base', fixture.base, '--format', 'markdown']);
    expect(markdown.stdout).toMatch(
      /^### manifest-sync check: 5 connector\(s\), highest bump \*\*major\*\*, 1 refused$/m,
    );
    expect(markdown.stdout).toMatch(
      /^\| `gmail` \| changed \| version \| 1\.0\.0 → 2\.0\.0 \| major \| /m,
    );
    expect(markdown.stdout).toMatch(/^\| manifests\/bad\.json \| 4:3 \| \/status \| /m);
    const text = await check(['--base', fixture.base, '--per-commit']);
    expect(text.stdout.split('\n')[0]).toMatch(/\(per commit: each of the 2 commit\(s\) in turn/);
    expect(text.stdout).toMatch(/gmail version 1\.0\.0 → 1\.1\.0 \(minor\)/);
    expect(text.stdout).toMatch(/gmail version 1\.1\.0 → 2\.0\.0 \(major\)/);
    const squashed = await check(['--base', fixture.base, '--head', fixture.minorCommit]);
    expect(squashed.stdout.split('\n')[0]).toMatch(/\(squashed: /);
  });

  it('--fail-on trips with its own exit code; below the gate it exits 0', async () => {
    const minor = ['--base', fixture.base, '--head', fixture.minorCommit];
    expect((await check(minor)).code).toBe(ExitCode.ok);
    expect((await check([...minor, '--fail-on', 'major'])).code).toBe(ExitCode.ok);
    const gated = await check([...minor, '--fail-on', 'minor', '--format', 'github']);
    expect(gated.code).toBe(ExitCode.checkGate);
    expect(ExitCode.checkGate).toBe(10);
    expect(gated.stdout).toMatch(/^::warning file=manifests\/gmail\.json,/m);
    expect(gated.stdout).toMatch(/--fail-on minor tripped/);
    expect((await check([...minor, '--fail-on', 'huge'])).code).toBe(ExitCode.usage);
    expect((await check([...minor, '--json', '--format', 'github'])).code).toBe(ExitCode.usage);
  });

  it('an unknown revision exits 5 and names it', async () => {
    const base = await check(['--base', 'nope']);
    expect(base.code).toBe(ExitCode.notFound);
    expect(base.stderr).toMatch(/--base nope: no such revision/);
    const head = await check(['--base', fixture.base, '--head', 'deadbeef']);
    expect(head.code).toBe(ExitCode.notFound);
    expect(head.stderr).toMatch(/--head deadbeef: no such revision/);
  });

  it('a base that is not an ancestor exits 11 and says how to get the fork point', async () => {
    const result = await check(['--base', 'main']);
    expect(result.code).toBe(ExitCode.notAncestor);
    expect(ExitCode.notAncestor).toBe(11);
    expect(result.stderr).toMatch(/is not an ancestor of the head .*git merge-base main HEAD/);
  });

  it('a shallow clone missing the base exits 12 and says how to fetch it', async () => {
    const clone = join(scratch, 'shallow');
    execFileSync('git', [
      'clone',
      '--quiet',
      '--depth',
      '1',
      '--branch',
      'feature',
      `file://${fixture.repo.path}`,
      clone,
    ]);
    const missing = await check(['--base', fixture.base], clone);
    expect(missing.code).toBe(ExitCode.shallow);
    expect(ExitCode.shallow).toBe(12);
    expect(missing.stderr).toMatch(/not in this shallow clone: .*git fetch --deepen.*--unshallow/);
    // Fetching more history, as the message says, makes the same command work.
    execFileSync('git', ['-C', clone, 'fetch', '--quiet', '--unshallow']);
    expect((await check(['--base', fixture.base], clone)).code).toBe(ExitCode.problems);
  });

  it('a shallow clone holding the base but not the history between exits 12 too', async () => {
    const clone = join(scratch, 'shallow-branches');
    execFileSync('git', [
      'clone',
      '--quiet',
      '--depth',
      '1',
      '--no-single-branch',
      '--branch',
      'feature',
      `file://${fixture.repo.path}`,
      clone,
    ]);
    const result = await check(['--base', 'origin/main'], clone);
    expect(result.code).toBe(ExitCode.shallow);
    expect(result.stderr).toMatch(/not connected in this shallow clone.*git fetch --deepen/);
  });
});
