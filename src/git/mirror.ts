import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { simpleGit } from 'simple-git';
import { GitError } from './errors.js';
import { gitEnv } from './gitProcess.js';

/** A remote to mirror, and how to authenticate to it. */
export interface MirrorOptions {
  url: string;
  /** The bare mirror's directory (created on first use). */
  dir: string;
  /** An HTTPS token, sent as a header through git's environment: never on a command line or in a log. */
  token?: string | null;
}

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
 * `fetch --prune`. Returns whether this call created the mirror.
 */
export async function updateMirror(options: MirrorOptions): Promise<boolean> {
  assertRemoteUrl(options.url);
  const env = environment(options.token);
  const exists = existsSync(join(options.dir, 'HEAD'));
  try {
    if (!exists) {
      await mkdir(dirname(options.dir), { recursive: true });
      await simpleGit({ baseDir: dirname(options.dir) })
        .env(env)
        .clone(options.url, options.dir, ['--mirror']);
      return true;
    }
    await simpleGit({ baseDir: options.dir }).env(env).fetch(['--prune', '--force', 'origin']);
    return false;
  } catch (error) {
    const message = String((error as Error).message ?? error).replaceAll(
      options.url,
      redactRemote(options.url),
    );
    throw new GitError(
      `could not ${exists ? 'fetch' : 'clone'} ${redactRemote(options.url)}: ${message.trim()}`,
    );
  }
}
