import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { GitError } from './errors.js';
import { gitEnv } from './gitProcess.js';

/** A remote to mirror, and how to authenticate to it. */
export interface MirrorOptions {
  url: string;
  /** The bare mirror's directory (created on first use). */
  dir: string;
  /** An HTTPS token, sent as a header through git's environment: never on a command line or in a log. */
  token?: string | null;
  /** Kills git when aborted (a forced shutdown must not wait on a hung fetch). */
  signal?: AbortSignal;
}

const execGit = promisify(execFile);

/** The remote URL with any password or token removed, for logs and errors. */
export function redactRemote(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = parsed.username ? '***' : '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return url;
  }
}

/** Throws unless the URL is https, ssh (URL or scp-like `git@host:path`) or file. */
export function assertRemoteUrl(url: string): void {
  if (/^[\w.-]+@[\w.-]+:(?!\/\/)/.test(url)) return;
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    throw new GitError(`--remote must be an https, ssh or file URL (got ${redactRemote(url)})`);
  }
  if (!['https:', 'ssh:', 'file:'].includes(protocol)) {
    throw new GitError(
      `--remote must be an https, ssh or file URL, not ${protocol} (got ${redactRemote(url)})`,
    );
  }
}

function environment(token: string | null | undefined): NodeJS.ProcessEnv {
  const env = gitEnv();
  // No prompts: a missing credential fails at once instead of hanging the daemon.
  env.GIT_SSH_COMMAND ??= 'ssh -o BatchMode=yes -o StrictHostKeyChecking=accept-new';
  if (token) {
    env.GIT_CONFIG_COUNT = '1';
    env.GIT_CONFIG_KEY_0 = 'http.extraHeader';
    env.GIT_CONFIG_VALUE_0 = `Authorization: Bearer ${token}`;
  }
  return env;
}

/**
 * Brings the bare mirror up to date with the remote: `clone --mirror` the first time, then
 * `fetch --prune`. Returns whether this call created the mirror. Runs git itself rather than
 * through simple-git, whose safety check refuses the very variables set here (GIT_SSH_COMMAND,
 * GIT_CONFIG_COUNT, PAGER) and any EDITOR or GIT_CONFIG_GLOBAL in the environment.
 */
export async function updateMirror(options: MirrorOptions): Promise<boolean> {
  assertRemoteUrl(options.url);
  const env = environment(options.token);
  const exists = existsSync(join(options.dir, 'HEAD'));
  const [cwd, args] = exists
    ? [options.dir, ['fetch', '--prune', '--force', 'origin']]
    : [dirname(options.dir), ['clone', '--mirror', '--', options.url, options.dir]];
  try {
    if (!exists) await mkdir(cwd, { recursive: true });
    await execGit('git', ['--no-pager', ...args], {
      cwd,
      env,
      maxBuffer: 16 * 1024 * 1024,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return !exists;
  } catch (error) {
    const { stderr, code } = error as { stderr?: string; code?: unknown };
    // The message holds the command line, so the URL (and any password in it) is redacted.
    const detail = String(stderr || (error as Error).message || error);
    throw new GitError(
      `could not ${exists ? 'fetch' : 'clone'} ${redactRemote(options.url)}: ${detail.replaceAll(options.url, redactRemote(options.url)).trim()}`,
      { exitCode: typeof code === 'number' ? code : null },
    );
  }
}
