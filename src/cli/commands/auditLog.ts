import { formatActions } from '../../audit/formatActions.js';
import type { Config } from '../../config.js';
import { ConfigError } from '../../errors.js';
import { ExitCode } from '../exitCodes.js';
import { printJson, printLines } from '../output.js';
import { type ReadFlags, withReader } from '../withReader.js';

/** Flags of `audit-log`. */
export interface AuditLogFlags extends ReadFlags {
  limit?: string;
}

/** `manifest-sync audit-log [SLUG] [--limit N] [--daemon URL]`: operator actions, newest first. */
export async function auditLogCommand(
  config: Config,
  flags: AuditLogFlags,
  args: string[],
): Promise<number> {
  const limit = Number(flags.limit ?? 100);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000)
    throw new ConfigError(`--limit must be an integer from 1 to 10000 (got '${flags.limit}')`);
  const slug = args[0];
  const log = await withReader(config, flags, 'manifest-sync audit-log', (reader) =>
    reader.readOperatorActions({ ...(slug ? { slug } : {}), limit }),
  );
  if (config.json) printJson(log);
  else
    printLines([
      `operator actions${slug ? ` on ${slug}` : ''}: ${log.total}${log.total > log.actions.length ? ` (newest ${log.actions.length} shown)` : ''}`,
      ...formatActions(log.actions),
    ]);
  return ExitCode.ok;
}
