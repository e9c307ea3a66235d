import { describeAction } from '../../audit/formatActions.js';
import type { Config } from '../../config.js';
import { ConfigError, OperatorRefusedError } from '../../errors.js';
import { createLogger } from '../../logger.js';
import type { OperatorAudit, VersionAction } from '../../plan/operatorTypes.js';
import { parseOperatorRequest } from '../../plan/parseOperatorRequest.js';
import { clockOf } from '../../sync/defaults.js';
import { ExitCode } from '../exitCodes.js';
import { printJson, printLines } from '../output.js';
import { parseVersionRef } from '../versionRef.js';
import { callDaemon } from './control.js';

/** Flags of rollback, pin, unpin, yank and unyank. */
export interface OperateFlags {
  daemon?: string;
  adminToken?: string;
  reason?: string;
  until?: string;
  to?: string;
  actor?: string;
}

/** The request's strings: `SLUG[@VERSION]`, rollback's `--to`. */
function readArgs(action: VersionAction, ref: string, flags: OperateFlags) {
  const { slug, version } = parseVersionRef(ref);
  if (action === 'unpin' && version !== null)
    throw new ConfigError('unpin takes a connector, not a version: unpin SLUG');
  if (action === 'rollback' && version !== null && flags.to !== undefined)
    throw new ConfigError('give SLUG@VERSION or --to VERSION, not both');
  return { action, slug, version: action === 'rollback' ? (flags.to ?? version) : version };
}

/**
 * `manifest-sync rollback|pin|unpin|yank|unyank`: an operator's action on a connector's versions,
 * directly in the database or through a running daemon (`--daemon URL`). A refusal exits with
 * its own code (src/cli/exitCodes.ts) and writes nothing.
 */
export async function operateCommand(
  config: Config,
  flags: OperateFlags,
  action: VersionAction,
  args: string[],
): Promise<number> {
  const raw = {
    ...readArgs(action, args[0] ?? '', flags),
    reason: flags.reason,
    until: flags.until,
  };
  const now = clockOf({})();
  const parsed = parseOperatorRequest(raw, now);
  if (!parsed.ok) throw new ConfigError(parsed.error);
  const actor = flags.actor?.trim() || config.actor;
  let audit: OperatorAudit;
  if (flags.daemon) {
    const query = new URLSearchParams({ slug: raw.slug, reason: flags.reason ?? '' });
    if (raw.version !== null) query.set('version', raw.version);
    if (flags.until !== undefined) query.set('until', flags.until);
    const token = flags.adminToken ?? config.adminToken;
    const body = (await callDaemon(flags.daemon, `/admin/${action}?${query}`, token, actor)) as {
      audit: OperatorAudit;
    };
    audit = body.audit;
  } else {
    audit = await operateDirectly(config, parsed.request, actor, now);
  }
  if (config.json) printJson({ ok: true, audit });
  else printLines([describeAction(audit)]);
  return ExitCode.ok;
}

async function operateDirectly(
  config: Config,
  request: Parameters<typeof import('../../sync/operate.js').runOperatorAction>[2],
  actor: string,
  now: Date,
): Promise<OperatorAudit> {
  const [{ openSession }, { resolveTarget }, { runOperatorAction }] = await Promise.all([
    import('../../sync/openSession.js'),
    import('../../sync/target.js'),
    import('../../sync/operate.js'),
  ]);
  const session = await openSession(config, {
    holder: `manifest-sync ${request.action}`,
    logger: createLogger({ level: config.logLevel }),
  });
  try {
    const target = await resolveTarget(config, session.repository, session.database.db);
    const verdict = await runOperatorAction(session.database.db, target, request, {
      actor: { name: actor, via: 'cli' },
      now,
    });
    if (!verdict.ok) throw new OperatorRefusedError(verdict.refusal.code, verdict.refusal.message);
    return verdict.plan.audit;
  } finally {
    await session.close();
  }
}
