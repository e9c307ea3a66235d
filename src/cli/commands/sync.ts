import type { Config } from '../../config.js';
import { createLogger } from '../../logger.js';
import { openSession } from '../../sync/openSession.js';
import { syncOnce } from '../../sync/syncOnce.js';
import type { SyncReport } from '../../sync/types.js';
import { ExitCode } from '../exitCodes.js';
import { printJson, printLines, short } from '../output.js';
import { createProgress } from '../progress.js';
import { formatProblem } from './validate.js';

/** The report for a person: one line per connector decision, its reasons, refusals, a summary. */
export function formatReport(report: SyncReport): string[] {
  const lines: string[] = [];
  for (const d of report.decisions) {
    const versions =
      d.from === d.to || d.to === null ? (d.from ?? '') : `${d.from ?? '(new)'} → ${d.to}`;
    const bump = d.bump === 'none' ? '' : ` (${d.bump})`;
    lines.push(`${short(d.revision)}  ${d.action.padEnd(9)} ${d.slug} ${versions}${bump}`);
    if (d.action !== 'refuse')
      for (const reason of d.reasons) lines.push(`            - ${reason}`);
  }
  for (const refusal of report.refusals) lines.push(`refused: ${formatProblem(refusal)}`);
  const verb = report.dryRun ? 'would create' : 'created';
  const range =
    report.from === report.to
      ? `at ${short(report.to)}`
      : `${short(report.from)}..${short(report.to)}`;
  lines.push(
    `${report.kind}${report.dryRun ? ' (dry run)' : ''} ${report.branch} ${range}: ${report.commitsApplied} commit(s), ` +
      `${verb} ${report.connectorsCreated} connector(s) and ${report.versionsCreated} version(s), ` +
      `${report.refusals.length} manifest(s) refused` +
      (report.historyRewritten ? ', history rewritten (reconciled from the head snapshot)' : ''),
  );
  return lines;
}

async function run(
  config: Config,
  options: { dryRun?: boolean; since?: string; force?: boolean },
  kind: 'sync' | 'resync',
): Promise<number> {
  const logger = createLogger({ level: config.logLevel });
  const session = await openSession(config, { holder: `manifest-sync ${kind}`, logger });
  try {
    const onProgress = config.json ? undefined : createProgress('replaying commits');
    const report = await syncOnce(
      { config, logger, ...session, ...(onProgress ? { onProgress } : {}) },
      {
        kind,
        dryRun: options.dryRun ?? false,
        force: options.force ?? false,
        ...(options.since ? { since: options.since } : {}),
      },
    );
    if (config.json) printJson(report);
    else printLines(formatReport(report));
    return report.refusals.length > 0 ? ExitCode.problems : ExitCode.ok;
  } finally {
    await session.close();
  }
}

/** `manifest-sync sync [--dry-run] [--since REV]`. */
export const syncCommand = (config: Config, options: { dryRun?: boolean; since?: string }) =>
  run(config, options, 'sync');

/** `manifest-sync resync [--dry-run]`. */
export const resyncCommand = (config: Config, options: { dryRun?: boolean; force?: boolean }) =>
  run(config, options, 'resync');
