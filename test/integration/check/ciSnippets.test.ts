import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ExitCode } from '../../../src/cli/exitCodes.js';
import { CLI_BIN } from '../../helpers/builtCli.js';
import { buildManifest, manifestText } from '../../helpers/manifestBuilder.js';
import { type CheckRepo, createCheckRepo } from './fixture.js';

// Each test spawns the CLI (the built binary) a few times: seconds each on a busy machine.
vi.setConfig({ testTimeout: 120_000 });

const DOC = fileURLToPath(new URL('../../../docs/check.md', import.meta.url));

/** The fenced yaml block under a `### heading` of docs/check.md. */
function yamlBlock(heading: string): string[] {
  const doc = readFileSync(DOC, 'utf8');
  const at = doc.indexOf(`### ${heading}\n`);
  const start = doc.indexOf('```yaml\n', at) + '```yaml\n'.length;
  expect(at).toBeGreaterThan(-1);
  return doc.slice(start, doc.indexOf('\n```', start)).split('\n');
}

/** Every shell command of a GitHub workflow's `run:` steps, in order. */
function githubCommands(): string[] {
  const lines = yamlBlock('GitHub Actions');
  const commands: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const single = /^\s*(?:- )?run: (?!\|)(.+)$/.exec(line);
    if (single?.[1]) commands.push(single[1]);
    if (!/^\s*(?:- )?run: \|$/.test(line)) continue;
    const indent = (line.match(/^\s*/)?.[0].length ?? 0) + 1;
    while ((lines[i + 1]?.match(/^\s*/)?.[0].length ?? 0) > indent && lines[i + 1]?.trim()) {
      commands.push((lines[++i] ?? '').trim());
    }
  }
  return commands;
}

/** Every command of a GitLab job's `script:` list, in order. */
function gitlabCommands(): string[] {
  const lines = yamlBlock('GitLab CI');
  const start = lines.findIndex((line) => /^\s+script:$/.test(line));
  const commands: string[] = [];
  for (const line of lines.slice(start + 1)) {
    const item = /^\s+- (.+)$/.exec(line);
    if (!item?.[1]) break;
    commands.push(item[1]);
  }
  return commands;
}

/**
 * Runs a CI job's commands as its runner would (bash, stop at the first failure), in `cwd`.
 * `npm ci` installs this package there; here `npx manifest-sync` runs this checkout's built binary.
 */
function runJob(commands: string[], cwd: string, env: NodeJS.ProcessEnv) {
  const npx = `npx() { if [ "$1" = manifest-sync ]; then shift; "$MS_NODE" "$MS_BIN" "$@"; else return 127; fi; }`;
  const script = [npx, ...commands.filter((command) => command !== 'npm ci')].join('\n');
  const result = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
    cwd,
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      MS_NODE: process.execPath,
      MS_BIN: CLI_BIN,
      ...env,
    },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

let fixture: CheckRepo;
let scratch: string;
beforeAll(() => {
  fixture = createCheckRepo();
  scratch = mkdtempSync(join(tmpdir(), 'manifest-sync-ci-'));
  const { repo } = fixture;
  // Three pull requests from the fork point: minor only, major only, and one with a refusal.
  repo.git('branch', 'pr-minor', fixture.minorCommit);
  repo.git('checkout', '-q', '-b', 'pr-major', fixture.base);
  const gmail = buildManifest();
  const { send_email: _gone, ...actions } = gmail.actions;
  repo.write('manifests/gmail.json', manifestText({ ...gmail, actions }));
  repo.commit('gmail: drop send_email');
  // GitHub checks out refs/pull/N/merge: the pull request merged into the base branch's tip.
  for (const pr of ['pr-minor', 'pr-major', 'feature']) {
    repo.git('checkout', '-q', '-b', `merge-${pr}`, 'main');
    repo.merge(pr, `Merge ${pr} into main`);
  }
  repo.checkout('main');
});
afterAll(() => {
  fixture.repo.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

describe('the GitHub Actions snippet in docs/check.md', () => {
  const commands = githubCommands();
  it('has the commands the doc shows', () => {
    expect(commands).toEqual([
      'npm ci',
      'npx manifest-sync check --base HEAD^1 --format markdown >> "$GITHUB_STEP_SUMMARY" || true',
      'npx manifest-sync check --base HEAD^1 --format github --fail-on major',
    ]);
  });

  it.each([
    ['pr-minor', ExitCode.ok, /^::notice file=manifests\/gmail\.json,/m],
    ['pr-major', ExitCode.checkGate, /^::warning file=manifests\/gmail\.json,/m],
    ['feature', ExitCode.problems, /^::error file=manifests\/bad\.json,line=4,col=3,/m],
  ])('%s: on a fetch-depth 2 checkout of the merge commit, exits %i', (pr, code, annotation) => {
    const clone = join(scratch, `gh-${pr}`);
    // actions/checkout with fetch-depth: 2 is a shallow fetch of the merge ref.
    execFileSync('git', [
      'clone',
      '--quiet',
      '--depth',
      '2',
      '--branch',
      `merge-${pr}`,
      `file://${fixture.repo.path}`,
      clone,
    ]);
    const summary = join(scratch, `summary-${pr}.md`);
    writeFileSync(summary, '');
    const job = runJob(commands, clone, { GITHUB_STEP_SUMMARY: summary });
    expect(job.stderr).not.toMatch(/manifest-sync: /);
    expect(job.code).toBe(code);
    expect(job.stdout).toMatch(annotation);
    expect(readFileSync(summary, 'utf8')).toMatch(/^### manifest-sync check: /);
  });
});

describe('the GitLab CI snippet in docs/check.md', () => {
  const commands = gitlabCommands();
  it('has the commands the doc shows, and lets exit 10 pass as a warning', () => {
    expect(commands.map((c) => c.split(' ').slice(0, 3).join(' '))).toEqual([
      'npm ci',
      'npx manifest-sync check',
      'npx manifest-sync check',
    ]);
    expect(yamlBlock('GitLab CI').join('\n')).toContain(`exit_codes: [${ExitCode.checkGate}]`);
  });

  it.each([
    ['pr-minor', ExitCode.ok],
    ['pr-major', ExitCode.checkGate],
    ['feature', ExitCode.problems],
  ])('%s: on a merge-request pipeline at the source head, exits %i', (pr, code) => {
    const clone = join(scratch, `gl-${pr}`);
    // GIT_DEPTH: 0 is a full clone; the runner checks out the source branch's head, detached.
    execFileSync('git', ['clone', '--quiet', `file://${fixture.repo.path}`, clone]);
    execFileSync('git', ['-C', clone, 'checkout', '-q', '--detach', `origin/${pr}`]);
    const diffBase = execFileSync('git', ['-C', clone, 'merge-base', 'origin/main', 'HEAD'], {
      encoding: 'utf8',
    }).trim();
    const job = runJob(commands, clone, { CI_MERGE_REQUEST_DIFF_BASE_SHA: diffBase });
    expect(job.stderr).not.toMatch(/manifest-sync: /);
    expect(job.code).toBe(code);
    expect(existsSync(join(clone, 'manifest-check.md'))).toBe(true);
    expect(readFileSync(join(clone, 'manifest-check.md'), 'utf8')).toMatch(
      /^### manifest-sync check: /,
    );
  });
});
