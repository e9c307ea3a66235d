import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { GitError } from '../errors.js';
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
  /** Told when an existing mirror was made from another remote and now follows `url` (for the log). */
  onRepoint?: (from: string, to: string) => void;
}

const execGit = promisify(execFile);

/** The remote URL with any password or token removed, for logs and errors. */
export function redactRemote(url: string): string {
  let parsed: URL | null = null;
  try {
    parsed = new URL(url);
  } catch {}
  if (parsed !== null && ['https:', 'http:', 'ssh:', 'git:', 'file:'].includes(parsed.protocol)) {
    parsed.username = parsed.username ? '***' : '';
    parsed.password = '';
    return parsed.toString();
  }
  // Not a URL (scp-like `user@host:path`, or malformed): everything up to the last `@` may be a
  // credential, so none of it is shown.
  return url.includes('@') ? `***${url.slice(url.lastIndexOf('@'))}` : url;
}

/**
 * Splits credentials out of an https URL: git is given the bare URL (so the mirror's config never
 * holds them) and the credentials travel as a header through its environment.
 */
export function splitCredentials(url: string): { url: string; basic: string | null } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { url, basic: null };
  }
  if (parsed.protocol !== 'https:' || (!parsed.username && !parsed.password)) {
    return { url, basic: null };
  }
  const user = decodeURIComponent(parsed.username);
  const password = decodeURIComponent(parsed.password);
  parsed.username = '';
  parsed.password = '';
  return { url: parsed.toString(), basic: Buffer.from(`${user}:${password}`).toString('base64') };
}

/** Throws unless the URL is https, ssh (URL or scp-like `git@host:path`) or file. */
function assertRemoteUrl(url: string): void {
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

function environment(token: string | null | undefined, basic: string | null): NodeJS.ProcessEnv {
  const env = gitEnv();
  // No prompts: a missing credential fails at once instead of hanging the daemon.
  env.GIT_SSH_COMMAND ??= 'ssh -o BatchMode=yes -o StrictHostKeyChecking=accept-new';
  const header = token ? `Bearer ${token}` : basic ? `Basic ${basic}` : null;
  if (header) {
    env.GIT_CONFIG_COUNT = '1';
    env.GIT_CONFIG_KEY_0 = 'http.extraHeader';
    env.GIT_CONFIG_VALUE_0 = `Authorization: ${header}`;
  }
  return env;
}

/** The URL the mirror fetches from, as its config records it; null when it records none. */
async function readOrigin(dir: string, env: NodeJS.ProcessEnv): Promise<string | null> {
  try {
    const { stdout } = await execGit('git', ['config', '--get', 'remote.origin.url'], {
      cwd: dir,
      env,
    });
    return String(stdout).trim() || null;
  } catch {
    return null;
  }
}

/**
 * Brings the bare mirror up to date with the remote: `clone --mirror` the first time, then
 * `fetch --prune`. Returns whether this call created the mirror. Runs git itself rather than
 * through simple-git, whose safety check refuses the very variables set here (GIT_SSH_COMMAND,
 * GIT_CONFIG_COUNT, PAGER) and any EDITOR or GIT_CONFIG_GLOBAL in the environment.
 */
export async function updateMirror(options: MirrorOptions): Promise<boolean> {
  assertRemoteUrl(options.url);
  const { url: bare, basic } = splitCredentials(options.url);
  const env = environment(options.token, basic);
  const exists = existsSync(join(options.dir, 'HEAD'));
  const [cwd, args] = exists
    ? [options.dir, ['fetch', '--prune', '--force', 'origin']]
    : [dirname(options.dir), ['clone', '--mirror', '--', bare, options.dir]];
  try {
    if (!exists) await mkdir(cwd, { recursive: true });
    const origin = exists ? await readOrigin(options.dir, env) : null;
    if (exists && origin !== bare) {
      // The mirror was made from another remote (or with credentials in its config, as before):
      // it follows the flag, and the log says from what to what.
      await execGit('git', ['remote', 'set-url', 'origin', '--', bare], { cwd: options.dir, env });
      options.onRepoint?.(redactRemote(origin ?? '(none)'), redactRemote(bare));
    }
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
    const detail = String(stderr || (error as Error).message || error)
      .replaceAll(options.url, redactRemote(options.url))
      .replaceAll(bare, redactRemote(bare));
    throw new GitError(
      `could not ${exists ? 'fetch' : 'clone'} ${redactRemote(options.url)}: ${detail.trim()}`,
      { exitCode: typeof code === 'number' ? code : null },
    );
  }
}
