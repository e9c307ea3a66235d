import type { Config } from '../../config.js';
import { ConfigError, isRefusalCode, OperatorRefusedError } from '../../errors.js';
import { createLogger } from '../../logger.js';
import { clockOf } from '../../sync/defaults.js';
import { ExitCode } from '../exitCodes.js';
import { printJson, printLines } from '../output.js';

/** Flags of the operator commands. */
export interface ControlFlags {
  daemon?: string;
  adminToken?: string;
  reason?: string;
  dryRun?: boolean;
  /** Who acts, for the audit trail. @default the OS user (`cli:$USER`) */
  actor?: string;
}

/** Who acts: `--actor`, else the OS user. */
export function actorOf(config: Config, flags: { actor?: string }): string {
  return flags.actor?.trim() || config.actor;
}

/** Calls a running daemon's admin endpoint with the bearer token; throws a clear error on refusal. */
export async function callDaemon(
  url: string,
  path: string,
  token: string | null,
  actor: string,
): Promise<unknown> {
  if (!token) {
    throw new ConfigError(
      'the daemon needs its admin token: pass --admin-token or set MANIFEST_SYNC_ADMIN_TOKEN',
    );
  }
  let response: Response;
  try {
    response = await fetch(new URL(path, url), {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'x-actor': actor },
    });
  } catch (error) {
    throw new ConfigError(`could not reach the daemon at ${url}: ${(error as Error).message}`);
  }
  const body = (await response.json().catch(() => ({}))) as { error?: string; code?: string };
  // An operator action the daemon refused: the same code, so the same exit code, as without it.
  if (isRefusalCode(body.code) && (response.status === 404 || response.status === 409))
    throw new OperatorRefusedError(body.code, body.error ?? body.code);
  if (response.status === 401) throw new ConfigError(`the daemon refused the admin token (401)`);
  if (response.status === 404)
    throw new ConfigError(
      `the daemon at ${url} has no admin endpoints: start it with --admin-token`,
    );
  if (!response.ok)
    throw new ConfigError(`the daemon answered ${response.status}: ${body.error ?? 'no detail'}`);
  return body;
}

/** `manifest-sync suspend|resume [--daemon URL]`: through a running daemon, or directly in the database. */
export async function controlCommand(
  config: Config,
  flags: ControlFlags,
  action: 'suspend' | 'resume',
): Promise<number> {
  const token = flags.adminToken ?? config.adminToken;
  if (flags.daemon) {
    const query =
      action === 'suspend' && flags.reason ? `?reason=${encodeURIComponent(flags.reason)}` : '';
    const result = await callDaemon(
      flags.daemon,
      `/admin/${action}${query}`,
      token,
      actorOf(config, flags),
    );
    if (config.json) printJson(result);
    else
      printLines([`${action === 'suspend' ? 'suspended' : 'resumed'} syncing on ${flags.daemon}`]);
    return ExitCode.ok;
  }
  const { openSession } = await import('../../sync/openSession.js');
  const { resolveTarget } = await import('../../sync/target.js');
  const { writeSuspensionAction } = await import('../../sync/operate.js');
  const session = await openSession(config, {
    holder: `manifest-sync ${action}`,
    logger: createLogger({ level: config.logLevel }),
  });
  try {
    const target = await resolveTarget(config, session.repository, session.database.db);
    await writeSuspensionAction(session.database.db, target, {
      suspended: action === 'suspend',
      actor: { name: actorOf(config, flags), via: 'cli' },
      reason: flags.reason ?? null,
      now: clockOf({})(),
    });
    if (config.json) printJson({ suspended: action === 'suspend', branch: target.branch });
    else
      printLines([
        `${action === 'suspend' ? 'suspended' : 'resumed'} syncing of ${target.branch} in ${session.database.location}`,
      ]);
    return ExitCode.ok;
  } finally {
    await session.close();
  }
}

/** `manifest-sync resync --daemon URL [--dry-run]`: a forced resync by a running daemon. */
export async function remoteResync(config: Config, flags: ControlFlags): Promise<number> {
  const token = flags.adminToken ?? config.adminToken;
  const query = new URLSearchParams(flags.dryRun ? { dry_run: '1' } : {});
  if (flags.reason) query.set('reason', flags.reason);
  const path = `/admin/resync${query.size ? `?${query}` : ''}`;
  const report = (await callDaemon(
    flags.daemon as string,
    path,
    token,
    actorOf(config, flags),
  )) as {
    refusals?: unknown[];
  };
  if (config.json) printJson(report);
  else {
    const { formatReport } = await import('./sync.js');
    printLines(formatReport(report as Parameters<typeof formatReport>[0]));
  }
  return (report.refusals?.length ?? 0) > 0 ? ExitCode.problems : ExitCode.ok;
}
