import { readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { ConfigError } from './errors.js';
import type { VersionPolicy } from './versioning/types.js';

/** Everything a command needs to know, parsed once from flags and the environment, then frozen. */
export interface Config {
  /** Repository path. @default the current directory */
  readonly repo: string;
  /** Tracked branch; null means the recorded binding's, else (first sync) the checked-out branch. */
  readonly branch: string | null;
  /** Manifest directory, relative to the repository root. @default 'manifests' */
  readonly path: string;
  /** Whether --path was given: a sync then holds it against the recorded binding. */
  readonly pathGiven: boolean;
  /** PostgreSQL URL; null selects the embedded database. @default $DATABASE_URL */
  readonly databaseUrl: string | null;
  /** Where the embedded database, its lock and the remote mirror live. @default <repo>/.manifest-sync */
  readonly dataDir: string;
  /** How an author's insufficient `version` is treated. @default 'auto' */
  readonly versionPolicy: VersionPolicy;
  /** Print machine-readable JSON instead of text. */
  readonly json: boolean;
  /** Names the repository in the cursor key; null derives it from the repository's root commit. */
  readonly repositoryId: string | null;
  /** Log level for pino. @default 'info' */
  readonly logLevel: string;
  /** The daemon's admin token, for the operator commands. @default $MANIFEST_SYNC_ADMIN_TOKEN */
  readonly adminToken: string | null;
  /** Who runs this command, recorded by suspend/resume. @default cli:$USER */
  readonly actor: string;
}

/** The global flags as commander hands them over. */
export interface GlobalFlags {
  repo?: string;
  branch?: string;
  path?: string;
  databaseUrl?: string;
  dataDir?: string;
  versionPolicy?: string;
  json?: boolean;
  repositoryId?: string;
  logLevel?: string;
}

/** The environment variables manifest-sync reads; nothing else reads process.env. */
const ENV = {
  databaseUrl: 'DATABASE_URL',
  dataDir: 'MANIFEST_SYNC_DATA_DIR',
  versionPolicy: 'MANIFEST_SYNC_VERSION_POLICY',
  repositoryId: 'MANIFEST_SYNC_REPOSITORY_ID',
  logLevel: 'MANIFEST_SYNC_LOG_LEVEL',
  webhookSecret: 'MANIFEST_SYNC_WEBHOOK_SECRET',
  adminToken: 'MANIFEST_SYNC_ADMIN_TOKEN',
  httpPort: 'MANIFEST_SYNC_HTTP_PORT',
  host: 'MANIFEST_SYNC_HOST',
  pollInterval: 'MANIFEST_SYNC_POLL_INTERVAL',
  remote: 'MANIFEST_SYNC_REMOTE',
  gitToken: 'MANIFEST_SYNC_GIT_TOKEN',
  commitUrl: 'MANIFEST_SYNC_COMMIT_URL',
  maxConnections: 'MANIFEST_SYNC_MAX_CONNECTIONS',
  requestTimeout: 'MANIFEST_SYNC_REQUEST_TIMEOUT',
} as const;

/**
 * A secret from the environment: `NAME`, else the file `NAME_FILE` names (as container platforms
 * mount secrets), its trailing newline dropped. Errors name the variable and the file, never the value.
 */
function readSecret(env: NodeJS.ProcessEnv, name: string): string | null {
  if (env[name]) return env[name] ?? null;
  const file = env[`${name}_FILE`];
  if (!file) return null;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ConfigError(`${name}_FILE names ${file}, which cannot be read (${code})`);
  }
  return text.replace(/\r?\n$/, '') || null;
}

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

/** Builds the frozen Config from the global flags and the environment; flags win. */
export function loadConfig(
  flags: GlobalFlags,
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): Config {
  const repo = resolve(cwd, flags.repo ?? '.');
  const policy = flags.versionPolicy ?? env[ENV.versionPolicy] ?? 'auto';
  if (policy !== 'auto' && policy !== 'strict') {
    throw new ConfigError(`--version-policy must be 'auto' or 'strict' (got '${policy}')`);
  }
  const path = (flags.path ?? 'manifests').replace(/^\.\/+|\/+$/g, '');
  if (isAbsolute(path) || path.split('/').includes('..')) {
    throw new ConfigError(
      `--path must be a directory inside the repository, relative to its root (got '${flags.path}')`,
    );
  }
  const logLevel = flags.logLevel ?? env[ENV.logLevel] ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(
      `--log-level must be one of ${LOG_LEVELS.join(', ')} (got '${logLevel}')`,
    );
  }
  const dataDir = flags.dataDir ?? env[ENV.dataDir];
  const databaseUrl = flags.databaseUrl ?? readSecret(env, ENV.databaseUrl);
  if (databaseUrl !== null)
    checkDatabaseUrl(
      databaseUrl,
      flags.databaseUrl !== undefined
        ? '--database-url'
        : env[ENV.databaseUrl]
          ? `$${ENV.databaseUrl}`
          : `the file $${ENV.databaseUrl}_FILE names`,
    );
  return Object.freeze({
    repo,
    branch: flags.branch ?? null,
    path: path === '.' ? '' : path,
    pathGiven: flags.path !== undefined,
    databaseUrl,
    dataDir: dataDir ? resolve(cwd, dataDir) : join(repo, '.manifest-sync'),
    versionPolicy: policy,
    json: flags.json ?? false,
    repositoryId: flags.repositoryId ?? (env[ENV.repositoryId] || null),
    logLevel,
    adminToken: readSecret(env, ENV.adminToken),
    actor: `cli:${env.USER ?? env.LOGNAME ?? 'unknown'}`,
  });
}

/**
 * Throws a ConfigError naming `source` (the flag or variable) unless `url` parses as a
 * `postgres://` or `postgresql://` URL with a host; the message never repeats a password.
 */
function checkDatabaseUrl(url: string, source: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(
      `${source} is not a URL: expected postgres://user@host:5432/database (or leave it unset for the embedded database)`,
    );
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:')
    throw new ConfigError(
      `${source} must be a postgres:// or postgresql:// URL (got ${parsed.protocol}//…): only PostgreSQL is supported`,
    );
  if (parsed.hostname === '' && !parsed.searchParams.has('host'))
    throw new ConfigError(`${source} names no host: expected postgres://user@host:5432/database`);
}

/** The daemon's own settings, parsed once beside the Config. */
export interface DaemonConfig {
  /** @default 8080 */
  readonly httpPort: number;
  /** @default '127.0.0.1' (containers pass `--host 0.0.0.0`) */
  readonly host: string;
  /** Open HTTP connections beyond this are closed at once. @default 256 */
  readonly maxConnections: number;
  /** A request (headers and body) not received within this is dropped, in ms. @default 20 s */
  readonly requestTimeoutMs: number;
  /** The slow periodic check behind the watcher (and the fetch interval in remote mode), in ms. @default 30 s */
  readonly pollIntervalMs: number;
  /** A remote to mirror into `<dataDir>/mirror.git` instead of watching a local repository. */
  readonly remote: string | null;
  /** Verifies `POST /webhook`; without it the webhook is off. */
  readonly webhookSecret: string | null;
  /** Bearer token for `/admin/...`; without it those endpoints are off (404). */
  readonly adminToken: string | null;
  /** An HTTPS token for the remote (sent as a header, never logged). */
  readonly gitToken: string | null;
  /** Commit link template for the page, e.g. `https://github.com/org/repo/commit/{sha}`. */
  readonly commitUrl: string | null;
  /** The longest wait between retries while the database or git is failing, in ms. @default 30 s */
  readonly backoffMaxMs: number;
}

/** The daemon's flags as commander hands them over. */
export interface DaemonFlags {
  httpPort?: string;
  host?: string;
  maxConnections?: string;
  requestTimeout?: string;
  pollInterval?: string;
  remote?: string;
  webhookSecret?: string;
  adminToken?: string;
  commitUrl?: string;
}

/** Builds the frozen DaemonConfig from the daemon's flags and the environment; flags win. */
export function loadDaemonConfig(
  flags: DaemonFlags,
  env: NodeJS.ProcessEnv = process.env,
): DaemonConfig {
  const port = Number(flags.httpPort ?? env[ENV.httpPort] ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`--http-port must be a port number (got '${flags.httpPort}')`);
  }
  const interval = Number(flags.pollInterval ?? env[ENV.pollInterval] ?? 30);
  if (!Number.isFinite(interval) || interval <= 0) {
    throw new ConfigError(
      `--poll-interval must be a positive number of seconds (got '${flags.pollInterval}')`,
    );
  }
  const maxConnections = Number(flags.maxConnections ?? env[ENV.maxConnections] ?? 256);
  if (!Number.isInteger(maxConnections) || maxConnections < 1) {
    throw new ConfigError(
      `--max-connections must be a positive whole number (got '${flags.maxConnections ?? env[ENV.maxConnections]}')`,
    );
  }
  const requestTimeout = Number(flags.requestTimeout ?? env[ENV.requestTimeout] ?? 20);
  if (!Number.isFinite(requestTimeout) || requestTimeout < 1 || requestTimeout > 3600) {
    throw new ConfigError(
      `--request-timeout must be between 1 and 3600 seconds (got '${flags.requestTimeout ?? env[ENV.requestTimeout]}')`,
    );
  }
  return Object.freeze({
    httpPort: port,
    host: flags.host ?? env[ENV.host] ?? '127.0.0.1',
    maxConnections,
    requestTimeoutMs: requestTimeout * 1000,
    pollIntervalMs: interval * 1000,
    remote: flags.remote ?? (env[ENV.remote] || null),
    webhookSecret: flags.webhookSecret ?? readSecret(env, ENV.webhookSecret),
    adminToken: flags.adminToken ?? readSecret(env, ENV.adminToken),
    gitToken: readSecret(env, ENV.gitToken),
    commitUrl: flags.commitUrl ?? (env[ENV.commitUrl] || null),
    backoffMaxMs: 30_000,
  });
}
