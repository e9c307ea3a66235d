import type { Config } from '../../config.js';
import { readUncommittedManifests } from '../../git/readUncommitted.js';
import { createLogger } from '../../logger.js';
import type { RevisionReport } from '../../plan/types.js';
import { openSession } from '../../sync/openSession.js';
import { syncOnce } from '../../sync/syncOnce.js';
import type { SyncReport } from '../../sync/types.js';
import { ExitCode } from '../exitCodes.js';
import { cliIo } from '../io.js';
import { printJsonLine, printLines, short } from '../output.js';
import { createProgress } from '../progress.js';
import { formatProblem } from './validate.js';

/** Up to this many decisions, each reason has a line of its own; past it, one line per decision. */
const REASON_LINES_UP_TO = 100;

/**
 * The report for a person: one line per connector decision with its reasons, refusals, a
 * summary. A long replay (hundreds of commits) keeps one line per decision, its reasons after
 * ` — ` joined by ` · `, so every reason is shown without flooding the terminal.
 */
export function formatReport(report: SyncReport): string[] {
  const lines: string[] = [];
  const compact = report.decisions.length > REASON_LINES_UP_TO;
  for (const d of report.decisions) {
    const versions =
      d.from === d.to || d.to === null ? (d.from ?? '') : `${d.from ?? '(new)'} → ${d.to}`;
    const bump = d.bump === 'none' ? '' : ` (${d.bump})`;
    const line = `${short(d.revision)}  ${d.action.padEnd(9)} ${d.slug} ${versions}${bump}`;
    // A refusal's reasons are its problems, listed below with file, line and column.
    const reasons = d.action === 'refuse' ? [] : d.reasons;
    if (!compact) {
      lines.push(line);
      for (const reason of reasons) lines.push(`            - ${reason}`);
    } else lines.push(reasons.length > 0 ? `${line} — ${reasons.join(' · ')}` : line);
  }
  if (compact)
    lines.push(
      `(${report.decisions.length} decisions, one line each: its reasons follow the —; ` +
        '`--json` gives one object per decision, `manifest-sync history SLUG` one connector)',
    );
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
      (report.historyRewritten ? ", history rewritten (resynced from the head's snapshot)" : ''),
  );
  return lines;
}

async function run(
  config: Config,
  options: { dryRun?: boolean; since?: string; force?: boolean; reason?: string; actor?: string },
  kind: 'sync' | 'resync',
): Promise<number> {
  const logger = createLogger({ level: config.logLevel });
  // A dry run migrates nothing and writes nothing: it reads, or plans an empty database as such.
  const session = await openSession(config, {
    holder: `manifest-sync ${kind}`,
    logger,
    access: options.dryRun ? 'plan' : 'write',
  });
  // git status walks the working tree (10,000 files: ~50 ms): it runs beside the sync, begun
  // while this process is small, and its note is printed after the report.
  const uncommitted = readUncommittedManifests(session.repository.path, config.path);
  try {
    const onProgress = createProgress();
    // --json is NDJSON: each decision and refusal as it is planned, the summary last.
    const onRevision = config.json ? printRevision : undefined;
    const report = await syncOnce(
      {
        config,
        logger,
        ...session,
        ...(onProgress ? { onProgress } : {}),
        ...(onRevision ? { onRevision } : {}),
      },
      {
        kind,
        dryRun: options.dryRun ?? false,
        force: options.force ?? false,
        ...(options.since ? { since: options.since } : {}),
        // A resync forced by an operator: recorded with who and why.
        ...(kind === 'resync'
          ? {
              audit: {
                actor: { name: options.actor?.trim() || config.actor, via: 'cli' as const },
                reason: options.reason ?? null,
              },
            }
          : {}),
      },
    );
    if (config.json) {
      const { decisions: _streamed, ...summary } = report;
      printJsonLine({ type: 'summary', ...summary });
    } else printLines(formatReport(report));
    noteUncommitted(await uncommitted, config.json);
    return report.refusals.length > 0 ? ExitCode.problems : ExitCode.ok;
  } finally {
    await session.close();
  }
}

function printRevision(report: RevisionReport): void {
  for (const decision of report.decisions)
    if (decision.action !== 'unchanged')
      printJsonLine({ type: 'decision', revision: report.revision, ...decision });
  for (const refusal of report.refusals) printJsonLine({ type: 'refusal', ...refusal });
}

/** Says on stderr which manifests have edits a sync cannot see: it reads commits, not files. */
function noteUncommitted(paths: readonly string[], json: boolean): void {
  if (paths.length === 0) return;
  const shown =
    paths.slice(0, 5).join(', ') + (paths.length > 5 ? `, and ${paths.length - 5} more` : '');
  const message = `${paths.length} manifest file(s) have uncommitted edits, which sync does not read (it applies commits): ${shown}`;
  cliIo().stderr.write(
    json ? `${JSON.stringify({ note: message, uncommitted: paths })}\n` : `note: ${message}\n`,
  );
}

/** `manifest-sync sync [--dry-run] [--since REV]`. */
export const syncCommand = (config: Config, options: { dryRun?: boolean; since?: string }) =>
  run(config, options, 'sync');

/** `manifest-sync resync [--dry-run] [--reason TEXT] [--actor NAME]`. */
export const resyncCommand = (
  config: Config,
  options: { dryRun?: boolean; force?: boolean; reason?: string; actor?: string },
) => run(config, options, 'resync');
